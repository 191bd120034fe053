import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Webhook } from './webhook.entity';
import {
  CreatedAtColumn,
  JsonColumn,
  TimestampColumn,
  UpdatedAtColumn,
} from '../../infra/database/dialect';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One event for one webhook. Its id is the delivery id a receiver de-duplicates by: it
 * stays the same across retries and a manual redeliver.
 */
@Entity('webhook_deliveries')
@Index('IDX_webhook_deliveries_webhook', ['webhookId', 'createdAt'])
@Index('IDX_webhook_deliveries_status', ['status', 'updatedAt'])
@Index('IDX_webhook_deliveries_task', ['webhookId', 'taskId', 'eventId'])
export class WebhookDelivery {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'webhook_id', type: 'uuid' })
  webhookId: string;

  /** One of DELIVERY_EVENTS. */
  @Column({ type: 'varchar', length: 64 })
  event: string;

  @Column({ name: 'task_id', type: 'uuid', nullable: true })
  taskId: string | null;

  /** The task event it tells of: deliveries of one task go out in this order. Null for other events. */
  @Column({
    name: 'event_id',
    type: 'bigint',
    nullable: true,
    transformer: {
      to: (value: unknown) => value,
      from: (value: unknown) => (value === null || value === undefined ? null : Number(value)),
    },
  })
  eventId: number | null;

  /** The JSON body sent, exactly as signed. */
  @JsonColumn()
  payload: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16 })
  status: DeliveryStatus;

  /** Tries so far, across redeliveries. */
  @Column({ type: 'integer' })
  attempts: number;

  /** When the job queue tries again after a failed try; null when no retry is waiting. */
  @TimestampColumn({ name: 'next_attempt_at', nullable: true })
  nextAttemptAt: Date | null;

  @CreatedAtColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdatedAtColumn({ name: 'updated_at' })
  updatedAt: Date;

  /** Deleting the webhook deletes its deliveries. Never loaded: there for the foreign key. */
  @ManyToOne(() => Webhook, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'webhook_id', foreignKeyConstraintName: 'FK_webhook_deliveries_webhook' })
  readonly webhook?: never;
}
