import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Omittable } from '../../../common/validation/omittable';
import { CreateTaskDto } from '../../tasks';
import {
  EARLY_STOPPING,
  EarlyStopping,
  OBJECTIVE_GOALS,
  OBJECTIVE_VALUES,
  ObjectiveGoal,
  ObjectiveValue,
} from '../sweep-status';
import { SWEEP_STRATEGIES, SweepStrategy } from '../search-space';

export const MAX_TRIALS = 1000;

/** One hyperparameter: `values` to choose from, or (random only) a `min`..`max` range. */
export class SearchParameterDto {
  /** The key in the trial's hyperparameters. */
  @IsString()
  @Matches(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, { message: 'must be a hyperparameter name' })
  name: string;

  /** Any JSON values: numbers, strings, booleans, objects. */
  @Omittable()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @ApiPropertyOptional({ type: 'array', items: {} })
  values?: unknown[];

  @Omittable()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  min?: number;

  @Omittable()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  max?: number;

  /** For a range: `float` (default) or `int`. */
  @Omittable()
  @IsIn(['int', 'float'])
  @ApiPropertyOptional({ enum: ['int', 'float'] })
  type?: 'int' | 'float';

  /** For a range: `linear` (default) or `log` (min must be above 0). */
  @Omittable()
  @IsIn(['linear', 'log'])
  @ApiPropertyOptional({ enum: ['linear', 'log'] })
  scale?: 'linear' | 'log';
}

export class ObjectiveDto {
  /** A training metric the trials report, e.g. `loss`. */
  @IsString()
  @Matches(/^[A-Za-z0-9_.:/-]{1,128}$/, { message: 'must be a metric name' })
  metric: string;

  @IsIn(OBJECTIVE_GOALS)
  @ApiPropertyOptional({ enum: OBJECTIVE_GOALS })
  goal: ObjectiveGoal;

  /** `last` (the point with the highest step, default) or `best` of the series. */
  @Omittable()
  @IsIn(OBJECTIVE_VALUES)
  @ApiPropertyOptional({ enum: OBJECTIVE_VALUES })
  value?: ObjectiveValue;
}

export class CreateSweepDto {
  @IsString()
  @Length(1, 200)
  name: string;

  /** The task of every trial, as `POST /api/v1/tasks` takes it; each trial's values are merged into its hyperparameters. */
  @ValidateNested()
  @Type(() => CreateTaskDto)
  task: CreateTaskDto;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(32)
  @ValidateNested({ each: true })
  @Type(() => SearchParameterDto)
  parameters: SearchParameterDto[];

  /** `grid` (every combination of `values`; default) or `random` (draws, with `seed`). */
  @Omittable()
  @IsIn(SWEEP_STRATEGIES)
  @ApiPropertyOptional({ enum: SWEEP_STRATEGIES })
  strategy?: SweepStrategy;

  /** Seed of a random sweep; the same seed draws the same trials. Default 0. */
  @Omittable()
  @IsInt()
  @Min(0)
  @Max(2 ** 31 - 1)
  @ApiPropertyOptional({ type: 'integer' })
  seed?: number;

  /** At most this many trials; a grid also stops at its size. */
  @IsInt()
  @Min(1)
  @Max(MAX_TRIALS)
  @ApiPropertyOptional({ type: 'integer' })
  maxTrials: number;

  /** At most this many trials unfinished at once. Default 1. */
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(100)
  @ApiPropertyOptional({ type: 'integer' })
  parallelism?: number;

  @ValidateNested()
  @Type(() => ObjectiveDto)
  objective: ObjectiveDto;

  /**
   * `median` stops a running trial whose objective at its latest step is worse than the
   * median of the finished trials at that step (once three have finished). Default `none`.
   */
  @Omittable()
  @IsIn(EARLY_STOPPING)
  @ApiPropertyOptional({ enum: EARLY_STOPPING })
  earlyStopping?: EarlyStopping;
}
