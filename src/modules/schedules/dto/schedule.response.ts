import { ApiProperty } from '@nestjs/swagger';
import { CreateTaskDto } from '../../tasks';
import { ConcurrencyPolicy } from '../concurrency-policy';
import { FireKind, FireOutcome } from '../fire-outcome';

export class ScheduleFireResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  /** The cron time this record is for (the request time of a trigger). */
  @ApiProperty({ format: 'date-time' })
  scheduledAt: string;
  @ApiProperty({ format: 'date-time' })
  firedAt: string;
  @ApiProperty({ enum: FireKind })
  kind: FireKind;
  @ApiProperty({ enum: FireOutcome })
  outcome: FireOutcome;
  /** Why it was skipped, missed or failed; what it replaced. */
  @ApiProperty({ type: 'string', nullable: true })
  reason: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  taskId: string | null;
}

export class ScheduleResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  ownerId: string;
  name: string;
  cron: string;
  timezone: string;
  /** The task template; `env` is shown only to the owner and admins. */
  task: CreateTaskDto;
  @ApiProperty({ enum: ConcurrencyPolicy })
  concurrencyPolicy: ConcurrencyPolicy;
  @ApiProperty({ type: 'integer', nullable: true })
  startingDeadlineSeconds: number | null;
  suspended: boolean;
  @ApiProperty({ type: 'integer' })
  historyLimit: number;
  /** The next five fire times; empty while suspended. */
  @ApiProperty({ type: 'string', format: 'date-time', isArray: true })
  nextFireTimes: string[];
  /** The task of the latest submitted fire. */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  lastTaskId: string | null;
  /** Fire records, newest first (single reads only; empty in lists). */
  @ApiProperty({ type: ScheduleFireResponse, isArray: true })
  history: ScheduleFireResponse[];
  @ApiProperty({ type: 'integer' })
  version: number;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class SchedulePageResponse {
  @ApiProperty({ type: ScheduleResponse, isArray: true })
  items: ScheduleResponse[];
  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}

export class ScheduleFirePageResponse {
  @ApiProperty({ type: ScheduleFireResponse, isArray: true })
  items: ScheduleFireResponse[];
  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}
