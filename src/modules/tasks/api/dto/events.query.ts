import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional, IsUUID } from 'class-validator';
import { TASK_EVENT_KINDS } from '../../persistence/entities/task-event.entity';
import { SERVICE_FEED_KINDS } from '../../events/service-event-port';

/** Every event name the feed sends: a task event's kind, or a service event's. */
export const FEED_EVENT_KINDS = [...TASK_EVENT_KINDS, ...SERVICE_FEED_KINDS] as const;
export type FeedEventKind = (typeof FEED_EVENT_KINDS)[number];

const asList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').filter(Boolean) : value;

export class EventsQuery {
  /** Only this task's events (so no service events). */
  @IsOptional()
  @IsUUID()
  taskId?: string;

  /** Only this service's events (so no task events). */
  @IsOptional()
  @IsUUID()
  serviceId?: string;

  /** Only events of these names, comma-separated (e.g. `status,service.ready`). */
  @ApiPropertyOptional({ type: 'array', items: { type: 'string', enum: [...FEED_EVENT_KINDS] } })
  @IsOptional()
  @Transform(asList)
  @IsIn(FEED_EVENT_KINDS, { each: true })
  @ArrayMaxSize(FEED_EVENT_KINDS.length)
  kind?: FeedEventKind[];
}
