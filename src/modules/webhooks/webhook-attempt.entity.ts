import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { WebhookDelivery } from './webhook-delivery.entity';
import { CreatedAtColumn, SequenceColumn } from '../../infra/database/dialect';

/** One HTTP request of a delivery: the delivery log. */
@Entity('webhook_attempts')
@Index('IDX_webhook_attempts_delivery', ['deliveryId', 'attempt'])
export class WebhookAttempt {
  @SequenceColumn()
  id: number;

  @Column({ name: 'delivery_id', type: 'uuid' })
  deliveryId: string;

  @Column({ type: 'integer' })
  attempt: number;

  /** The receiver's status; null when no answer came (refused, timed out, blocked). */
  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode: number | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @CreatedAtColumn({ name: 'occurred_at' })
  occurredAt: Date;

  /** Deleting the delivery deletes its tries. Never loaded: there for the foreign key. */
  @ManyToOne(() => WebhookDelivery, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'FK_webhook_attempts_delivery' })
  readonly delivery?: never;
}
