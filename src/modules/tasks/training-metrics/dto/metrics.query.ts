import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { OptionalAttemptNumber } from '../../api/dto/attempt-number';
import { METRIC_NAME_PATTERN } from '../metric-name';

export const MAX_QUERIED_NAMES = 50;
export const DEFAULT_MAX_POINTS = 1000;

/** `a,b` and `names=a&names=b` both mean [a, b]; empty entries are ignored. */
function splitNames({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string' && !Array.isArray(value)) return value;
  const parts = ([] as unknown[]).concat(value);
  if (!parts.every((part) => typeof part === 'string')) return value;
  return parts
    .flatMap((part) => part.split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

export class MetricsQuery {
  /** Comma-separated metric names (at most 50); all series when absent. */
  @ApiPropertyOptional({ type: String, example: 'train/loss,val/accuracy' })
  @IsOptional()
  @Transform(splitNames)
  @IsArray()
  @ArrayMaxSize(MAX_QUERIED_NAMES)
  @Matches(METRIC_NAME_PATTERN, { each: true })
  names?: string[];

  /** Points per series after downsampling, which keeps the first, the last and the extremes. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(10_000)
  @ApiPropertyOptional({ type: 'integer', default: DEFAULT_MAX_POINTS })
  maxPoints: number = DEFAULT_MAX_POINTS;

  @OptionalAttemptNumber('Which attempt; default: the latest one that reported metrics.')
  attempt?: number;
}
