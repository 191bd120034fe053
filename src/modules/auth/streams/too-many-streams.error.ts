import { DomainError } from '../../../common/errors/domain-error';

/** A stream was refused because the caller (or everyone) holds as many as allowed. */
export class TooManyStreamsError extends DomainError {
  readonly status = 429;
  readonly slug = 'too-many-streams';
  override readonly headers: Record<string, string>;

  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}
