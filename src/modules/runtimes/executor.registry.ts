// Finds the executor a queue names, so the tasks module never depends on a driver.
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { Executor, EXECUTORS } from './executor.port';

/** A queue or an attempt names an executor this Kiln does not have. */
export class UnknownExecutorError extends DomainError {
  readonly status = 500;
  readonly slug = 'unknown-executor';

  constructor(name: string, known: readonly string[]) {
    super(`No executor named "${name}"; this Kiln has: ${known.join(', ') || 'none'}`);
  }
}

@Injectable()
export class ExecutorRegistry {
  constructor(@Inject(EXECUTORS) private readonly executors: ReadonlyMap<string, Executor>) {}

  /** The executor called `name`; throws UnknownExecutorError for any other name. */
  get(name: string): Executor {
    const executor = this.executors.get(name);
    if (!executor) throw new UnknownExecutorError(name, this.names());
    return executor;
  }

  has(name: string): boolean {
    return this.executors.has(name);
  }

  names(): string[] {
    return [...this.executors.keys()];
  }
}
