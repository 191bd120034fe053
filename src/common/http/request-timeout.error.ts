import { DomainError } from '../errors/domain-error';

/** A request outlived its time limit; the work may still finish, the client is told 503. */
export class RequestTimedOutError extends DomainError {
  readonly status = 503;
  readonly slug = 'request-timeout';

  constructor(limitMs: number) {
    super(`The request took longer than its limit of ${limitMs} ms`);
  }
}
