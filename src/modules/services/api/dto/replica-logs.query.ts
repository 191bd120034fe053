import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_REPLICA_LOG_LINES = 10_000;

export class ReplicaLogsQuery {
  /** Only the last N lines; 1000 by default. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_REPLICA_LOG_LINES)
  @ApiPropertyOptional({ type: 'integer', default: 1000 })
  tail?: number;
}
