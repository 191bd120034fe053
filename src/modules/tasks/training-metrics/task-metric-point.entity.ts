import { Column, Entity, Index } from 'typeorm';
import { SequenceColumn, TimestampColumn } from '../../../infra/database/dialect';

/**
 * One sample a run reported. No foreign key to the task: points are written in batches
 * that may land after the task row changes, and TaskMetricsService.deleteForTask
 * removes them with the task.
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
}
