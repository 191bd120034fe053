// Builds what an executor needs to start one attempt, including the KILN_* variables a
// run relies on (docs/architecture.md).
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { KilnConfig } from '../../../config/kiln.config';
import type { RunSpec } from '../../runtimes/batch-runtime.port';
import { Task } from '../persistence/entities/task.entity';
import { resourcesOf } from '../api/task.mapper';

@Injectable()
export class RunSpecFactory {
  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly http: HttpAdapterHost,
  ) {}

  build(task: Task, attempt: number, runToken: string): RunSpec {
    return {
      taskId: task.id,
      attempt,
      queue: task.queue,
      command: task.command,
      shell: task.shell,
      image: task.image ?? undefined,
      workingDir: task.workingDir ?? undefined,
      env: {
        ...task.env,
        KILN_TASK_ID: task.id,
        KILN_ATTEMPT: String(attempt),
        KILN_HPARAMS: JSON.stringify(task.hyperparameters),
        KILN_API_URL: this.apiUrl(),
        KILN_RUN_TOKEN: runToken,
      },
      hyperparameters: task.hyperparameters,
      resources: resourcesOf(task),
      timeoutSeconds: task.timeoutSeconds ?? undefined,
    };
  }

  /** Configured, or this process's own listening port on loopback (it may be port 0 in tests). */
  private apiUrl(): string {
    if (this.config.tasks.apiUrl) return this.config.tasks.apiUrl.replace(/\/$/, '');
    const server = this.http.httpAdapter?.getHttpServer() as
      { address(): AddressInfo | string | null } | undefined;
    const address = server?.address();
    const port = typeof address === 'object' && address ? address.port : this.config.http.port;
    return `http://127.0.0.1:${port}`;
  }
}
