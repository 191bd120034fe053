import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import {
  CreatedAtColumn,
  JsonColumn,
  TimestampColumn,
  UpdatedAtColumn,
} from '../../infra/database/dialect';
import type { TaskSpec } from '../tasks';
import { ConcurrencyPolicy } from './concurrency-policy';

/** A cron expression in a time zone that submits a task from its template at each time. */
@Entity('schedules')
// The leader's scan: live schedules whose next time has come.
@Index('IDX_schedules_due', ['suspended', 'nextFireAt'])
@Index('IDX_schedules_owner_created', ['ownerId', 'createdAt', 'id'])
export class Schedule {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 128 })
  cron: string;

  /** An IANA zone name, in which the cron expression's times are read. */
  @Column({ type: 'varchar', length: 64 })
  timezone: string;

  /** The task each fire submits, with the queue's defaults filled in when it was made. */
  @JsonColumn()
  template: TaskSpec;

  @Column({ name: 'concurrency_policy', type: 'varchar', length: 16 })
  concurrencyPolicy: ConcurrencyPolicy;

  /** How late a fire may still happen; null: the latest missed time always fires. */
  @Column({ name: 'starting_deadline_seconds', type: 'integer', nullable: true })
  startingDeadlineSeconds: number | null;

  @Column({ type: 'boolean' })
  suspended: boolean;

  /** How many fire records are kept; older ones are removed as new ones are written. */
  @Column({ name: 'history_limit', type: 'integer' })
  historyLimit: number;

  /** The next scheduled time not yet handled; null while suspended. */
  @TimestampColumn({ name: 'next_fire_at', nullable: true })
  nextFireAt: Date | null;

  /** The task of the latest submitted fire, which the concurrency policy looks at. */
  @Column({ name: 'last_task_id', type: 'uuid', nullable: true })
  lastTaskId: string | null;

  @Column({ type: 'integer' })
  version: number;

  @CreatedAtColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdatedAtColumn({ name: 'updated_at' })
  updatedAt: Date;
}
