import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsUrl,
  MaxLength,
} from 'class-validator';
import { Omittable } from '../../../common/validation/omittable';
import { TASK_STATUSES } from '../../tasks';
import { WEBHOOK_EVENT_TYPES } from '../delivery/webhook-events';

export class CreateWebhookDto {
  /** http(s) URL that receives a signed POST per event; redirects are not followed. */
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  url: string;

  /** The event types to hear; left out, every type, including types added later. */
  @Omittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  events?: string[];

  /** Task statuses that trigger a `task.status` delivery; left out, every status change does. */
  @Omittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @IsIn(TASK_STATUSES, { each: true })
  @ApiPropertyOptional({ enum: TASK_STATUSES, isArray: true })
  statuses?: string[];

  /** Hear about every user's tasks, schedules and services, not just the caller's (admins only). */
  @Omittable()
  @IsBoolean()
  allTasks?: boolean;
}
