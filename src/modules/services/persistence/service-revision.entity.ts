import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, JsonColumn } from '../../../infra/database/dialect';
import { Service } from './service.entity';

/** The model a revision serves, pinned to the attempt that produced it. */
export interface PinnedModel {
  taskId: string;
  attempt: number;
  /** Relative to the run's output directory. */
  path: string;
  /** Absolute host path of the file or directory (what local replicas read). */
  hostPath: string;
  /** The run's output directory (what Kubernetes mounts a subPath of). */
  outputDir: string;
  isDirectory: boolean;
}

/**
 * What a service's replicas run, immutable once written: every change of model,
 * command, image, env or resources makes the next number.
 */
@Entity('service_revisions')
@Index('UQ_service_revisions_number', ['serviceId', 'number'], { unique: true })
export class ServiceRevision {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'service_id', type: 'uuid' })
  serviceId: string;

  @Column({ type: 'integer' })
  number: number;

  @JsonColumn({ nullable: true })
  model: PinnedModel | null;

  @JsonColumn()
  command: string[];

  @Column({ type: 'varchar', length: 512, nullable: true })
  image: string | null;

  @JsonColumn()
  env: Record<string, string>;

  @Column({ name: 'cpu_millis', type: 'integer' })
  cpuMillis: number;

  @Column({ name: 'memory_mib', type: 'integer' })
  memoryMiB: number;

  @Column({ type: 'integer' })
  gpu: number;

  @Column({ type: 'integer' })
  port: number;

  @Column({ name: 'health_path', type: 'varchar', length: 512 })
  healthPath: string;

  /** A user id: who made the change that made this revision. */
  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy: string;

  /** Why it was made (`created`, `rollback to revision 2`). */
  @Column({ type: 'text', nullable: true })
  cause: string | null;

  @CreatedAtColumn({ name: 'created_at' })
  createdAt: Date;

  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'FK_service_revisions_service' })
  readonly service?: never;
}
