// Domain errors of authentication and authorization, mapped to problem+json by the
// global filter.
import { DomainError } from '../../common/errors/domain-error';

/** No credential, or one that is invalid, expired, revoked or belongs to a disabled user. */
export class UnauthenticatedError extends DomainError {
  readonly status = 401;
  readonly slug = 'unauthorized';
  override readonly headers = { 'WWW-Authenticate': 'Bearer realm="kiln"' };
}

/** Wrong username or password. One message for both, so usernames cannot be probed. */
export class InvalidCredentialsError extends UnauthenticatedError {
  constructor() {
    super('The username or password is incorrect.');
  }
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly slug = 'forbidden';
}

export class TooManyAttemptsError extends DomainError {
  readonly status = 429;
  readonly slug = 'too-many-requests';
  override readonly headers: Record<string, string>;

  constructor(retryAfterSeconds: number) {
    super(`Too many login attempts. Try again in ${retryAfterSeconds} s.`);
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}
