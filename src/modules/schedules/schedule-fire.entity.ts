import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../infra/database/dialect';
import { FireKind, FireOutcome } from './fire-outcome';
import { Schedule } from './schedule.entity';

/**
 * One time a schedule came due (or was triggered) and what came of it. The unique
 * (schedule, scheduled time) pair is what makes a fire happen once: it is written in the
 * same transaction as the fire's task, so a second writer of the same time fails and
 * its task is rolled back with it.
 */
@Entity('schedule_fires')
@Index('UQ_schedule_fires_schedule_time', ['scheduleId', 'scheduledAt'], { unique: true })
export class ScheduleFire {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'schedule_id', type: 'uuid' })
  scheduleId: string;

  @TimestampColumn({ name: 'scheduled_at' })
  scheduledAt: Date;

  @TimestampColumn({ name: 'fired_at' })
  firedAt: Date;

  @Column({ type: 'varchar', length: 16 })
  kind: FireKind;

  @Column({ type: 'varchar', length: 16 })
  outcome: FireOutcome;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  /** No foreign key: the record outlives the task, which may be deleted. */
  @Column({ name: 'task_id', type: 'uuid', nullable: true })
  taskId: string | null;

  /** Deleting the schedule deletes its history. Never loaded: it is there for the foreign key. */
  @ManyToOne(() => Schedule, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'schedule_id', foreignKeyConstraintName: 'FK_schedule_fires_schedule' })
  readonly schedule?: never;
}
