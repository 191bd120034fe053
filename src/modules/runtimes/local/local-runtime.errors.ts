// What the local runtime refuses, each a domain error so a caller that lets it reach
// the API answers with a problem that says what to change.
import { DomainError, InvalidInputError } from '../../../common/errors/domain-error';

/** The run asked for more GPUs than are free; the dispatcher should have waited. */
export class GpusUnavailableError extends DomainError {
  readonly status = 409;
  readonly slug = 'gpus-unavailable';

  constructor(requested: number, free: number, total: number) {
    super(`The run needs ${requested} GPUs but ${free} of ${total} are free on this machine`);
  }
}

/** `workingDir` pointed outside the run directory. */
export class WorkingDirOutsideRunError extends InvalidInputError {
  constructor(workingDir: string) {
    super(`workingDir must stay inside the run directory, got ${JSON.stringify(workingDir)}`, [
      { field: 'workingDir', message: 'must be a relative path inside the run directory' },
    ]);
  }
}

/** The command could not be started at all (not found, not executable). */
export class RunStartError extends DomainError {
  readonly status = 422;
  readonly slug = 'run-start-failed';
}

/**
 * Another Kiln process supervises the run and did not stop it in time; the caller (the
 * reconciler) tries again at its next pass.
 */
export class RunNotStoppedError extends DomainError {
  readonly status = 503;
  readonly slug = 'run-not-stopped';

  constructor(runDir: string) {
    super(`The Kiln process supervising the run in ${runDir} did not stop it in time`);
  }
}
