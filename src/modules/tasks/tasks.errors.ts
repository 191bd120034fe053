// Domain errors of the tasks module, rendered as problem+json by the global filter.
import { DomainError, FieldProblem } from '../../common/errors/domain-error';

/** The backlog is full (the user's or everyone's): try again later. */
export class BacklogFullError extends DomainError {
  readonly status = 429;
  readonly slug = 'backlog-full';
  override readonly headers: Record<string, string>;

  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}

/** If-Match named a version that is no longer current. */
export class StaleVersionError extends DomainError {
  readonly status = 412;
  readonly slug = 'precondition-failed';

  constructor(current: number) {
    super(`The task has changed since version you sent; it is now at version ${current}.`);
  }
}

/** An Idempotency-Key reused with a different request body. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly status = 422;
  readonly slug = 'idempotency-key-reused';

  constructor() {
    super('This Idempotency-Key was already used for a different request.');
  }
}

/** A run token that is not valid for this task and attempt, or whose run has ended. */
export class InvalidRunTokenError extends DomainError {
  readonly status = 401;
  readonly slug = 'unauthorized';
  override readonly headers = { 'WWW-Authenticate': 'Bearer realm="kiln-run"' };

  constructor() {
    super('The run token is not valid for a running attempt of this task.');
  }
}

/**
 * A model service would hold more than its owner's quota: replicas count against the
 * running quota and their GPUs against the GPU quota, as task runs do.
 */
export class QuotaExceededError extends DomainError {
  readonly status = 409;
  readonly slug = 'quota-exceeded';
  override readonly fieldProblems: FieldProblem[];

  constructor(message: string, field: string, problem: string) {
    super(message);
    this.fieldProblems = [{ field, message: problem }];
  }
}
