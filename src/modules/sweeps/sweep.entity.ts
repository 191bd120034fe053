import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, JsonColumn, UpdatedAtColumn } from '../../infra/database/dialect';
import type { TaskSpec } from '../tasks';
import type { SearchParameter, SweepStrategy } from './search-space';
import { EarlyStopping, SweepObjective, SweepStatus } from './sweep-status';

/** A search over hyperparameters: one task per trial, from one template. */
@Entity('sweeps')
@Index('IDX_sweeps_status', ['status'])
@Index('IDX_sweeps_owner_created', ['ownerId', 'createdAt', 'id'])
export class Sweep {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @JsonColumn()
  template: TaskSpec;

  @JsonColumn()
  parameters: SearchParameter[];

  @Column({ type: 'varchar', length: 16 })
  strategy: SweepStrategy;

  @Column({ type: 'integer' })
  seed: number;

  /** The number of trials: maxTrials, or the grid's size when smaller. */
  @Column({ name: 'trial_count', type: 'integer' })
  trialCount: number;

  @Column({ type: 'integer' })
  parallelism: number;

  @JsonColumn()
  objective: SweepObjective;

  /** `median`: stop a running trial worse than the median of finished ones at its step. */
  @Column({ name: 'early_stopping', type: 'varchar', length: 16 })
  earlyStopping: EarlyStopping;

  @Column({ type: 'varchar', length: 16 })
  status: SweepStatus;

  /** Trials submitted so far; the next trial is this index. Moves only by one, conditionally. */
  @Column({ name: 'trials_submitted', type: 'integer' })
  trialsSubmitted: number;

  @CreatedAtColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdatedAtColumn({ name: 'updated_at' })
  updatedAt: Date;
}
