import { DomainError } from '../../common/errors/domain-error';

/** Someone else changed the schedule (or fired it in the same instant) meanwhile. */
export class ScheduleChangedError extends DomainError {
  readonly status = 409;
  readonly slug = 'schedule-changed';

  constructor() {
    super('The schedule changed meanwhile; read it again.');
  }
}
