import { OptionalAttemptNumber } from './attempt-number';

export class ArtifactsQuery {
  @OptionalAttemptNumber('Attempt number; the latest attempt by default.')
  attempt?: number;
}
