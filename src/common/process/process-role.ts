// What this process does, from `process.role` (KILN_ROLE). Every role listens on the
// HTTP port, because Kubernetes probes and Prometheus need /health and /metrics on
// every pod; a `worker` answers nothing else there (404), so a worker Deployment can
// never serve API traffic by mistake. Job-queue processors are registered only where
// `runsWorkers` is true. Every role may take the leader lock and run @LeaderOnly jobs.
import { Injectable } from '@nestjs/common';
import { KilnConfig } from '../../config/kiln.config';
import { ProcessRoleName } from '../../config/sections/process.config';

@Injectable()
export class ProcessRole {
  readonly name: ProcessRoleName;

  constructor(config: KilnConfig) {
    this.name = config.process.role;
  }

  /** For module factories that decide at definition time (e.g. which processors to list). */
  static of(config: KilnConfig): ProcessRole {
    return new ProcessRole(config);
  }

  /** Serves the REST API under /api/v1 (and /docs). */
  get servesApi(): boolean {
    return this.name !== 'worker';
  }

  /** Runs job-queue processors (launch orders and the like). */
  get runsWorkers(): boolean {
    return this.name !== 'api';
  }
}
