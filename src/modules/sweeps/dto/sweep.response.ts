import { ApiProperty } from '@nestjs/swagger';
import { CreateTaskDto } from '../../tasks';
import { SearchParameterDto } from './create-sweep.dto';

export class SweepObjectiveResponse {
  metric: string;
  @ApiProperty({ enum: ['minimize', 'maximize'] })
  goal: string;
  @ApiProperty({ enum: ['last', 'best'] })
  value: string;
}

export class SweepProgressResponse {
  /** Trials the sweep will have. */
  @ApiProperty({ type: 'integer' })
  total: number;
  /** Trials submitted so far. */
  @ApiProperty({ type: 'integer' })
  submitted: number;
  /** Trials whose task is pending, queued, running or cancelling. */
  @ApiProperty({ type: 'integer' })
  active: number;
  @ApiProperty({ type: 'integer' })
  succeeded: number;
  /** Failed, timed out or cancelled (or deleted). */
  @ApiProperty({ type: 'integer' })
  unsuccessful: number;
}

export class SweepTrialResponse {
  @ApiProperty({ type: 'integer' })
  index: number;
  @ApiProperty({ format: 'uuid' })
  taskId: string;
  /** The task's status; `deleted` when it no longer exists. */
  status: string;
  /** This trial's values, merged over the template's hyperparameters in its task. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  hyperparameters: Record<string, unknown>;
  /** The objective metric's value, null until the trial reports it. */
  @ApiProperty({ type: 'number', nullable: true })
  value: number | null;
  @ApiProperty({ type: 'integer', nullable: true })
  step: number | null;
}

export class SweepResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  ownerId: string;
  name: string;
  @ApiProperty({ enum: ['running', 'completed', 'cancelled'] })
  status: string;
  /** The trials' task template; `env` is shown only to the owner and admins. */
  task: CreateTaskDto;
  @ApiProperty({ type: SearchParameterDto, isArray: true })
  parameters: SearchParameterDto[];
  @ApiProperty({ enum: ['grid', 'random'] })
  strategy: string;
  @ApiProperty({ type: 'integer' })
  seed: number;
  @ApiProperty({ type: 'integer' })
  parallelism: number;
  objective: SweepObjectiveResponse;
  @ApiProperty({ enum: ['none', 'median'] })
  earlyStopping: string;
  progress: SweepProgressResponse;
  /** Trials that reported the objective, best first (single reads only; empty in lists). */
  @ApiProperty({ type: SweepTrialResponse, isArray: true })
  leaderboard: SweepTrialResponse[];
  /** The first of the leaderboard; absent until a trial reports the objective. */
  best?: SweepTrialResponse;
  /** Every trial by index (single reads only; empty in lists). */
  @ApiProperty({ type: SweepTrialResponse, isArray: true })
  trials: SweepTrialResponse[];
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class SweepPageResponse {
  @ApiProperty({ type: SweepResponse, isArray: true })
  items: SweepResponse[];
  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}

export class SweepTrialPageResponse {
  @ApiProperty({ type: SweepTrialResponse, isArray: true })
  items: SweepTrialResponse[];
  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}
