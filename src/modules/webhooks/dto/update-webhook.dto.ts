import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsUrl,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { Omittable } from '../../../common/validation/omittable';
import { TASK_STATUSES } from '../../tasks';
import { WEBHOOK_EVENT_TYPES } from '../delivery/webhook-events';

/** Fields left out stay as they are. */
export class UpdateWebhookDto {
  @Omittable()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  url?: string;

  /** null: every event type. */
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, nullable: true })
  events?: string[] | null;

  /** null: every task status change. */
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @IsIn(TASK_STATUSES, { each: true })
  @ApiPropertyOptional({ enum: TASK_STATUSES, isArray: true, nullable: true })
  statuses?: string[] | null;

  /** true enables a disabled webhook again and clears its failure count. */
  @Omittable()
  @IsBoolean()
  enabled?: boolean;
}
