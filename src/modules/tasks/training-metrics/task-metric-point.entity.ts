import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { SequenceColumn, TimestampColumn } from '../../../infra/database/dialect';
import { Task } from '../persistence/entities/task.entity';

/**
 * One sample a run reported. Deleting the task deletes its points; a batch that lands
 * after the task was deleted is refused by the foreign key, and TaskMetricsService drops
 * just those points.
 */
@Entity('task_metric_points')
@Index('IDX_task_metric_points_series', ['taskId', 'name', 'step'])
export class TaskMetricPoint {
  // integer, not bigint: SQLite only autoincrements an INTEGER PRIMARY KEY (64-bit there),
  // and dialect.ts has no deferred bigint kind yet. On PostgreSQL this caps the table at
  // 2^31 rows over its lifetime.
  @SequenceColumn()
  id: number;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId: string;

  @Column({ type: 'integer' })
  attempt: number;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  /** bigint: the line parser accepts any safe integer step. */
  @Column({ type: 'bigint', nullable: true })
  step: number | null;

  @Column({ type: 'double precision' })
  value: number;

  @TimestampColumn({ name: 'recorded_at' })
  recordedAt: Date;

  /** Deleting the task deletes this row with it. Never loaded: it is there for the foreign key. */
  @ManyToOne(() => Task, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'FK_task_metric_points_task' })
  readonly task?: never;
}
