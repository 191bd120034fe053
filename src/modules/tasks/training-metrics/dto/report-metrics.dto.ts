import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Omittable } from '../../../../common/validation/omittable';
import { IsTimestamp } from '../../../../common/validation/timestamp';
import { METRIC_NAME_PATTERN } from '../metric-name';

export const MAX_REPORTED_POINTS = 1000;

const FINITE = { allowNaN: false, allowInfinity: false };

export class ReportedMetricPointDto {
  /** Letters, digits and `_ . : / -`, at most 128 characters. @example train/loss */
  @IsString()
  @Matches(METRIC_NAME_PATTERN)
  name: string;

  /** Training step (a non-negative integer); points without one sort after those with one. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  @ApiPropertyOptional({ type: 'integer' })
  step?: number;

  @IsNumber(FINITE)
  value: number;

  /** RFC 3339 instant the value was measured; default: when Kiln received it. */
  @IsOptional()
  @IsTimestamp()
  time?: Date;
}

/** What a run reports about itself over REST, with its KILN_RUN_TOKEN. */
export class ReportMetricsDto {
  /** At most 1000 points per request. */
  @IsArray()
  @ArrayMaxSize(MAX_REPORTED_POINTS)
  @ValidateNested({ each: true })
  @Type(() => ReportedMetricPointDto)
  points: ReportedMetricPointDto[];

  /** Fraction of the run done, 0..1. */
  @Omittable()
  @IsNumber(FINITE)
  @Min(0)
  @Max(1)
  progress?: number;
}
