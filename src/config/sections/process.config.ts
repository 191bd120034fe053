import { IsIn, IsInt, Max, Min } from 'class-validator';
import { Env } from '../env.decorator';

export const PROCESS_ROLES = ['all', 'api', 'worker'] as const;
export type ProcessRoleName = (typeof PROCESS_ROLES)[number];

export class ProcessConfig {
  /**
   * `api` serves the REST API and runs no queue processors; `worker` runs queue
   * processors and answers only probes and /metrics over HTTP; `all` does both.
   * Every role may take the leader lock and run `@LeaderOnly` jobs.
   */
  @Env('KILN_ROLE')
  @IsIn(PROCESS_ROLES)
  role: ProcessRoleName;

  /** Server processes forked with node:cluster, sharing the port (production mode only). */
  @Env('WEB_CONCURRENCY')
  @IsInt()
  @Min(1)
  @Max(64)
  webConcurrency: number;
}
