import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CreatedAtColumn, SequenceColumn } from '../../../../infra/database/dialect';
import { TaskStatus } from '../../lifecycle/task-status';
import { Task } from './task.entity';

export const TASK_EVENT_KINDS = ['status', 'progress'] as const;
export type TaskEventKind = (typeof TASK_EVENT_KINDS)[number];

/**
 * Every status change (and throttled progress change) of a task. The id is a global
 * sequence, so the SSE stream can resume from Last-Event-ID on any replica.
 */
@Entity('task_events')
@Index('IDX_task_events_task', ['taskId', 'id'])
export class TaskEvent {
  @SequenceColumn()
  id: number;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId: string;

  /** Copied from the task so the stream can filter by visibility without a join. */
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: TaskEventKind;

  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus: TaskStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus: TaskStatus;

  @Column({ type: 'integer', nullable: true })
  attempt: number | null;

  @Column({ name: 'progress_permille', type: 'integer', nullable: true })
  progressPermille: number | null;

  /** A user id, or `system` for the dispatcher, worker and reconciler. */
  @Column({ type: 'varchar', length: 64 })
  actor: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @CreatedAtColumn({ name: 'occurred_at' })
  occurredAt: Date;

  /** Deleting the task deletes this row with it. Never loaded: it is there for the foreign key. */
  @ManyToOne(() => Task, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'FK_task_events_task' })
  readonly task?: never;
}
