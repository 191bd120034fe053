import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The largest attempt number a column of PostgreSQL's `integer` type holds. */
export const MAX_ATTEMPT = 2_147_483_647;

/**
 * An optional `attempt` query parameter: an integer from 1 up to what the attempt column
 * stores, so `attempt=1e300` (an integer to JavaScript) is a 400, not a database error.
 */
export function OptionalAttemptNumber(description: string): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(MAX_ATTEMPT),
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_ATTEMPT, description }),
  );
}
