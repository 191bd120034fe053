import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { QueueOptionsDto } from './queue-fields.dto';

export class CreateQueueDto extends QueueOptionsDto {
  /** Lower-case letters, digits and dashes, 1-63 characters, starting with a letter or digit. */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'must be a lower-case name of 1-63 chars' })
  name: string;

  /** The runtime that runs the queue's tasks (`local`, `kubernetes`, as configured). */
  @IsString()
  @MaxLength(32)
  runtime: string;

  /** Runs of this queue at once (queued, running and cancelling). */
  @IsInt()
  @Min(1)
  @Max(100_000)
  @ApiProperty({ type: 'integer' })
  maxRunning: number;

  /** GPUs this queue may hand out at once. */
  @IsInt()
  @Min(0)
  @Max(100_000)
  @ApiProperty({ type: 'integer' })
  maxGpus: number;
}
