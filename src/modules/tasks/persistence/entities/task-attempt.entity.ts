import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../../../../infra/database/dialect';
import type { RunHandle } from '../../../runtimes';
import { AttemptStatus } from '../../lifecycle/attempt-status';
import { Task } from './task.entity';

/** One try of a task on an executor. */
@Entity('task_attempts')
@Index('UQ_task_attempts_task_number', ['taskId', 'number'], { unique: true })
@Index('IDX_task_attempts_run_token', ['runTokenHash'])
export class TaskAttempt {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId: string;

  @Column({ type: 'integer' })
  number: number;

  @Column({ type: 'varchar', length: 32 })
  executor: string;

  @Column({ type: 'varchar', length: 16 })
  status: AttemptStatus;

  /** Set once the executor has launched the run. */
  @JsonColumn({ nullable: true })
  handle: RunHandle | null;

  /** SHA-256 of KILN_RUN_TOKEN; the token itself is never stored. */
  @Column({ name: 'run_token_hash', type: 'varchar', length: 64, nullable: true })
  runTokenHash: string | null;

  @TimestampColumn({ name: 'queued_at' })
  queuedAt: Date;

  @TimestampColumn({ name: 'started_at', nullable: true })
  startedAt: Date | null;

  @TimestampColumn({ name: 'finished_at', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'exit_code', type: 'integer', nullable: true })
  exitCode: number | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Deleting the task deletes this row with it. Never loaded: it is there for the foreign key. */
  @ManyToOne(() => Task, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'FK_task_attempts_task' })
  readonly task?: never;
}
