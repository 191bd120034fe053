import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { OptionalAttemptNumber } from './attempt-number';

export const MAX_LOG_LINES = 10_000;

export class LogsQuery {
  @OptionalAttemptNumber('Attempt number; the latest attempt by default.')
  attempt?: number;

  /** Only the last N lines. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LOG_LINES)
  @ApiPropertyOptional({ type: 'integer' })
  tail?: number;

  /** Skip this many lines from the start (0-based line number to begin at). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @ApiPropertyOptional({ type: 'integer' })
  sinceLine?: number;
}
