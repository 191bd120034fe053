import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import {
  CreatedAtColumn,
  JsonColumn,
  TimestampColumn,
  UpdatedAtColumn,
} from '../../../infra/database/dialect';
import type { ServiceHandle } from '../../runtimes';
import { ServiceStatus } from '../lifecycle/service-status';

/** What a rollout has come to; `failed` leaves the serving revision in place. */
export type RolloutState = 'progressing' | 'complete' | 'failed';

/**
 * A model service: what should run (its target revision and replicas) and what the
 * reconciler last saw. What replicas run lives in its revisions.
 */
@Entity('services')
@Index('UQ_services_name', ['name'], { unique: true })
@Index('IDX_services_owner_created', ['ownerId', 'createdAt', 'id'])
export class Service {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  /** A DNS label, unique among services; names its endpoint. */
  @Column({ type: 'varchar', length: 63 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @JsonColumn()
  labels: Record<string, string>;

  @Column({ type: 'varchar', length: 64 })
  queue: string;

  /** The runtime the queue named when the service was created. */
  @Column({ type: 'varchar', length: 32 })
  runtime: string;

  @Column({ type: 'varchar', length: 16 })
  status: ServiceStatus;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'desired_replicas', type: 'integer' })
  desiredReplicas: number;

  @Column({ name: 'ready_replicas', type: 'integer' })
  readyReplicas: number;

  /** Ready replicas that run the target revision. */
  @Column({ name: 'updated_replicas', type: 'integer' })
  updatedReplicas: number;

  /** The revision the service should run. */
  @Column({ name: 'target_revision', type: 'integer' })
  targetRevision: number;

  /** The revision that last completed a rollout; null before the first did. */
  @Column({ name: 'serving_revision', type: 'integer', nullable: true })
  servingRevision: number | null;

  @Column({ name: 'rollout_state', type: 'varchar', length: 16 })
  rolloutState: RolloutState;

  @TimestampColumn({ name: 'rollout_started_at' })
  rolloutStartedAt: Date;

  @Column({ name: 'rollout_timeout_seconds', type: 'integer' })
  rolloutTimeoutSeconds: number;

  /** How long Kiln waits for a replica's answer to an invocation. */
  @Column({ name: 'invoke_timeout_seconds', type: 'integer' })
  invokeTimeoutSeconds: number;

  /**
   * Whether an invocation whose connection to a replica broke before any answer is sent
   * once more to another replica (it may then run twice).
   */
  @Column({ name: 'invoke_retry', type: 'boolean', default: true })
  invokeRetry: boolean;

  @JsonColumn({ nullable: true })
  handle: ServiceHandle | null;

  /** Bumped by every change; the ETag of the service. */
  @Column({ type: 'integer' })
  version: number;

  @CreatedAtColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdatedAtColumn({ name: 'updated_at' })
  updatedAt: Date;
}
