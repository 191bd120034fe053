// Domain errors of the services module, rendered as problem+json by the global filter.
import { DomainError } from '../../common/errors/domain-error';

export class ServiceNameTakenError extends DomainError {
  readonly status = 409;
  readonly slug = 'service-name-taken';

  constructor(name: string) {
    super(`A service named ${name} exists already; names are unique across Kiln.`);
  }
}

/** If-Match named a version that is no longer current, or a change raced another. */
export class ServiceChangedError extends DomainError {
  readonly status = 412;
  readonly slug = 'precondition-failed';

  constructor(current: number) {
    super(`The service changed meanwhile; it is now at version ${current}. Read it again.`);
  }
}

/** The service is being deleted; it takes no changes. */
export class ServiceStoppingError extends DomainError {
  readonly status = 409;
  readonly slug = 'service-stopping';

  constructor() {
    super('The service is being deleted.');
  }
}

/** No replica can take the request now. */
export class NoReadyReplicaError extends DomainError {
  readonly status = 503;
  readonly slug = 'no-ready-replica';
  override readonly headers: Record<string, string>;

  constructor(name: string, retryAfterSeconds: number) {
    super(`Service ${name} has no ready replica right now.`);
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}

/** The replica could not be reached or broke off its answer. */
export class ReplicaUnreachableError extends DomainError {
  readonly status = 502;
  readonly slug = 'replica-unreachable';

  constructor(name: string, why: string) {
    super(`No replica of service ${name} could answer: ${why}.`);
  }
}

/** The replica did not answer within the service's invokeTimeoutSeconds. */
export class ReplicaTimeoutError extends DomainError {
  readonly status = 504;
  readonly slug = 'replica-timeout';

  constructor(name: string, seconds: number) {
    super(`Service ${name} did not answer within its invokeTimeoutSeconds (${seconds}s).`);
  }
}
