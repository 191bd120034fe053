import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import {
  CreatedAtColumn,
  JsonColumn,
  TimestampColumn,
  UpdatedAtColumn,
} from '../../../../infra/database/dialect';
import { TaskStatus } from '../../lifecycle/task-status';

@Entity('tasks')
// The dispatcher's scan: pending tasks of a queue by priority, then age.
@Index('IDX_tasks_dispatch', ['status', 'queue', 'priority', 'createdAt'])
// Keyset pagination of the task list, for everyone and per owner.
@Index('IDX_tasks_created', ['createdAt', 'id'])
@Index('IDX_tasks_owner_created', ['ownerId', 'createdAt', 'id'])
@Index('UQ_tasks_owner_idempotency_key', ['ownerId', 'idempotencyKey'], { unique: true })
export class Task {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** Also kept row by row in task_labels, where label filters look them up. */
  @JsonColumn()
  labels: Record<string, string>;

  @Column({ type: 'varchar', length: 64 })
  queue: string;

  /** Higher runs first. */
  @Column({ type: 'integer' })
  priority: number;

  @JsonColumn()
  command: string[];

  /** Run `command[0]` through /bin/sh -c; only when the user asked for it. */
  @Column({ type: 'boolean' })
  shell: boolean;

  @Column({ type: 'varchar', length: 512, nullable: true })
  image: string | null;

  @Column({ name: 'working_dir', type: 'varchar', length: 1024, nullable: true })
  workingDir: string | null;

  @JsonColumn()
  env: Record<string, string>;

  @JsonColumn()
  hyperparameters: Record<string, unknown>;

  /** CPU request in thousandths of a core, so no float lands in the database. */
  @Column({ name: 'cpu_millis', type: 'integer' })
  cpuMillis: number;

  @Column({ name: 'memory_mib', type: 'integer' })
  memoryMiB: number;

  @Column({ type: 'integer' })
  gpu: number;

  @Column({ name: 'max_retries', type: 'integer' })
  maxRetries: number;

  @Column({ name: 'retry_backoff_seconds', type: 'integer' })
  retryBackoffSeconds: number;

  @Column({ name: 'timeout_seconds', type: 'integer', nullable: true })
  timeoutSeconds: number | null;

  /** Copy of this task's task_dependencies rows, so reading a task needs no join. */
  @JsonColumn({ name: 'depends_on' })
  dependsOn: string[];

  /** Exit codes that mean "retrying will not help": they fail the task at once. */
  @JsonColumn({ name: 'no_retry_exit_codes' })
  noRetryExitCodes: number[];

  @Column({ type: 'varchar', length: 16 })
  status: TaskStatus;

  /** 0..1 as the run last reported it, in thousandths (integer, portable). */
  @Column({ name: 'progress_permille', type: 'integer' })
  progressPermille: number;

  /** Number of the latest attempt; 0 before the first launch. */
  @Column({ type: 'integer' })
  attempt: number;

  /** Automatic retries spent since the submit or the last manual retry. */
  @Column({ name: 'retries_used', type: 'integer' })
  retriesUsed: number;

  /** Lost runs retried without spending a retry, capped by config. */
  @Column({ name: 'lost_count', type: 'integer' })
  lostCount: number;

  @Column({ name: 'exit_code', type: 'integer', nullable: true })
  exitCode: number | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  /** A retry's backoff: the dispatcher leaves the task alone until then. */
  @TimestampColumn({ name: 'not_before', nullable: true })
  notBefore: Date | null;

  /** Bumped by every change; the ETag of the task. */
  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 128, nullable: true })
  idempotencyKey: string | null;

  /** Hash of the submitted body, so a key reused for another request is refused. */
  @Column({ name: 'idempotency_fingerprint', type: 'varchar', length: 64, nullable: true })
  idempotencyFingerprint: string | null;

  @CreatedAtColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdatedAtColumn({ name: 'updated_at' })
  updatedAt: Date;

  @TimestampColumn({ name: 'queued_at', nullable: true })
  queuedAt: Date | null;

  @TimestampColumn({ name: 'started_at', nullable: true })
  startedAt: Date | null;

  @TimestampColumn({ name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}
