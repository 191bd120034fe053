import { ApiProperty } from '@nestjs/swagger';
import { TASK_STATUSES } from '../../tasks';
import { DELIVERY_EVENTS, WEBHOOK_EVENT_TYPES } from '../delivery/webhook-events';
import { DELIVERY_STATUSES } from '../webhook-delivery.entity';

export class WebhookResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  ownerId: string;
  url: string;
  /** The event types it hears; null: every type. */
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, nullable: true })
  events: string[] | null;
  /** Task statuses that trigger a `task.status` delivery; null: every one. */
  @ApiProperty({ enum: TASK_STATUSES, isArray: true, nullable: true })
  statuses: string[] | null;
  allTasks: boolean;
  enabled: boolean;
  /** Why Kiln disabled it; null while enabled or when a user disabled it. */
  disabledReason: string | null;
  @ApiProperty({ type: 'integer' })
  consecutiveFailures: number;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

/** Creation's answer: the only time the signing secret is shown. */
export class CreatedWebhookResponse extends WebhookResponse {
  /** Verify `Kiln-Signature` with it; store it now, it is never shown again. */
  secret: string;
}

export class WebhookListResponse {
  items: WebhookResponse[];
}

export class DeliveryAttemptResponse {
  @ApiProperty({ type: 'integer' })
  attempt: number;
  /** The receiver's answer; null when none came. */
  @ApiProperty({ type: 'integer', nullable: true })
  statusCode: number | null;
  @ApiProperty({ type: 'integer' })
  durationMs: number;
  error: string | null;
  @ApiProperty({ format: 'date-time' })
  occurredAt: string;
}

export class DeliveryResponse {
  /** The delivery id (also the body's `id` and the `Kiln-Delivery` header). */
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: DELIVERY_EVENTS })
  event: string;
  @ApiProperty({ format: 'uuid', nullable: true })
  taskId: string | null;
  @ApiProperty({ enum: DELIVERY_STATUSES })
  status: string;
  /**
   * When the next try goes out, while a failed try waits for its retry (capped
   * exponential backoff with jitter); null otherwise.
   */
  @ApiProperty({ format: 'date-time', nullable: true })
  nextAttemptAt: string | null;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  /** Every try, oldest first. */
  attempts: DeliveryAttemptResponse[];
}

export class DeliveryListResponse {
  items: DeliveryResponse[];
}
