// Finds the runtime a queue names, so the tasks module never depends on a driver.
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { BatchRuntime, BATCH_RUNTIMES, RunRequest } from './batch-runtime.port';
import { UnrunnableTaskError } from './unrunnable-task.error';

/** A queue or an attempt names a runtime this Kiln does not have. */
export class UnknownRuntimeError extends DomainError {
  readonly status = 500;
  /** Kept from when runtimes were called executors: clients may match on it. */
  readonly slug = 'unknown-executor';

  constructor(name: string, known: readonly string[]) {
    super(`No runtime named "${name}"; this Kiln has: ${known.join(', ') || 'none'}`);
  }
}

@Injectable()
export class RuntimeRegistry {
  constructor(
    @Inject(BATCH_RUNTIMES) private readonly batchRuntimes: ReadonlyMap<string, BatchRuntime>,
  ) {}

  /** The batch runtime called `name`; throws UnknownRuntimeError for any other name. */
  get(name: string): BatchRuntime {
    const runtime = this.batchRuntimes.get(name);
    if (!runtime) throw new UnknownRuntimeError(name, this.names());
    return runtime;
  }

  /** Throws UnrunnableTaskError when the runtime called `name` could never run the request. */
  assertRunnable(name: string, request: RunRequest): void {
    const problems = this.get(name).validate(request);
    if (problems.length > 0) throw new UnrunnableTaskError(name, request.queue, problems);
  }

  has(name: string): boolean {
    return this.batchRuntimes.has(name);
  }

  names(): string[] {
    return [...this.batchRuntimes.keys()];
  }
}
