import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, JsonColumn, UpdatedAtColumn } from '../../infra/database/dialect';

/**
 * A URL that hears about changes of the owner's tasks, schedules and services, or of
 * everyone's.
 */
@Entity('webhooks')
export class Webhook {
  @PrimaryColumn('uuid')
  id: string;

  @Index('IDX_webhooks_owner_id')
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  /** Signs every request; shown to the owner once, at creation. */
  @Column({ type: 'varchar', length: 128 })
  secret: string;

  /** Every user's tasks, schedules and services (admins only), not just the owner's. */
  @Column({ name: 'all_tasks', type: 'boolean' })
  allTasks: boolean;

  /** The event types it hears; null: every type, those added later included. */
  @JsonColumn({ nullable: true })
  events: string[] | null;

  /** Task statuses that trigger a `task.status` delivery; null: every status change. */
  @JsonColumn({ nullable: true })
  statuses: string[] | null;

  @Column({ type: 'boolean' })
  enabled: boolean;

  /** Why Kiln disabled it, until someone enables it again. */
  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason: string | null;

  @Column({ name: 'consecutive_failures', type: 'integer' })
  consecutiveFailures: number;

  @CreatedAtColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdatedAtColumn({ name: 'updated_at' })
  updatedAt: Date;
}
