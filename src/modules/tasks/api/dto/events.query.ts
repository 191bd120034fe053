import { IsOptional, IsUUID } from 'class-validator';

export class EventsQuery {
  /** Only this task's events. */
  @IsOptional()
  @IsUUID()
  taskId?: string;
}
