import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Omittable } from '../../../common/validation/omittable';
import { CreateTaskDto } from '../../tasks';
import { ConcurrencyPolicy } from '../concurrency-policy';

export const MAX_HISTORY_LIMIT = 1000;
export const DEFAULT_HISTORY_LIMIT = 20;
const MAX_DEADLINE_SECONDS = 7 * 86400;

export class CreateScheduleDto {
  @IsString()
  @Length(1, 200)
  name: string;

  /** 5 fields (minute hour day month weekday), or 6 with seconds first. */
  @IsString()
  @Length(1, 128)
  cron: string;

  /** IANA zone the times are read in; a time the clock skips is skipped, a repeated one fires once. Default UTC. */
  @Omittable()
  @IsString()
  @Length(1, 64)
  timezone?: string;

  /** The task each fire submits, as `POST /api/v1/tasks` takes it. */
  @ValidateNested()
  @Type(() => CreateTaskDto)
  task: CreateTaskDto;

  /** While the previous task runs: Allow submits anyway, Forbid skips, Replace cancels it. Default Allow. */
  @Omittable()
  @IsEnum(ConcurrencyPolicy)
  @ApiPropertyOptional({ enum: ConcurrencyPolicy })
  concurrencyPolicy?: ConcurrencyPolicy;

  /** How late a time missed while no Kiln ran may still fire; null: always the latest. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_DEADLINE_SECONDS)
  @ApiPropertyOptional({ type: 'integer', nullable: true })
  startingDeadlineSeconds?: number | null;

  /** A suspended schedule fires nothing; resuming it starts from the next time. */
  @Omittable()
  @IsBoolean()
  suspend?: boolean;

  /** Fire records kept, newest first. Default 20. */
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_LIMIT)
  @ApiPropertyOptional({ type: 'integer' })
  historyLimit?: number;
}
