import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { JsonColumn } from '../../infra/database/dialect';
import { Sweep } from './sweep.entity';

/**
 * One trial of a sweep and its task. The (sweep, index) key is written in the task's
 * transaction, so a trial is submitted once however many leaders try.
 */
@Entity('sweep_trials')
export class SweepTrial {
  @PrimaryColumn({ name: 'sweep_id', type: 'uuid' })
  sweepId: string;

  @PrimaryColumn({ type: 'integer' })
  index: number;

  @JsonColumn()
  hyperparameters: Record<string, unknown>;

  /** No foreign key: the trial's record outlives its task. */
  @Column({ name: 'task_id', type: 'uuid' })
  taskId: string;

  /** Deleting the sweep deletes its trials. Never loaded: it is there for the foreign key. */
  @ManyToOne(() => Sweep, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sweep_id', foreignKeyConstraintName: 'FK_sweep_trials_sweep' })
  readonly sweep?: never;
}
