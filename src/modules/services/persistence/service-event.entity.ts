import { Column, Entity, Index } from 'typeorm';
import { CreatedAtColumn, SequenceColumn } from '../../../infra/database/dialect';
import { ServiceStatus } from '../lifecycle/service-status';

export const SERVICE_EVENT_KINDS = ['status', 'scale'] as const;
export type ServiceEventKind = (typeof SERVICE_EVENT_KINDS)[number];

/**
 * Every status change of a service, and every change of its wanted replicas (a `scale`
 * event, its status the same on both sides): who, when, from, to, why. Kept after the
 * service is deleted (no foreign key), so the record of a deletion outlives it.
 */
@Entity('service_events')
@Index('IDX_service_events_service', ['serviceId', 'id'])
export class ServiceEvent {
  @SequenceColumn()
  id: number;

  @Column({ name: 'service_id', type: 'uuid' })
  serviceId: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @Column({ type: 'varchar', length: 16, default: 'status' })
  kind: ServiceEventKind;

  /** The replicas wanted from now on, for a `scale` event; null for a status change. */
  @Column({ type: 'integer', nullable: true })
  replicas: number | null;

  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus: ServiceStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus: ServiceStatus;

  /** The target revision when the change happened. */
  @Column({ type: 'integer' })
  revision: number;

  /** A user id, or `system` for the reconciler. */
  @Column({ type: 'varchar', length: 64 })
  actor: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @CreatedAtColumn({ name: 'occurred_at' })
  occurredAt: Date;
}
