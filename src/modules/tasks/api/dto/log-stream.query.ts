import { OptionalAttemptNumber } from './attempt-number';

export class LogStreamQuery {
  @OptionalAttemptNumber(
    'The attempt to follow, waiting for it to start if it has not yet; the latest by default. ' +
      'A client that follows a task across retries asks for each attempt by number, so a ' +
      'retry that starts between two streams is never taken for the attempt before it.',
  )
  attempt?: number;
}
