import { Matches } from 'class-validator';

export class QueueNameParam {
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'must be a lower-case name of 1-63 chars' })
  name: string;
}
