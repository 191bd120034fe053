import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { SERVICE_NAME } from './service-limits';

export class ListServicesQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  @ApiPropertyOptional({ type: 'integer', default: 50 })
  limit?: number;

  /** The `nextCursor` of the previous page: the services after this name. */
  @IsOptional()
  @IsString()
  @Matches(SERVICE_NAME, { message: 'is not a cursor this API returned' })
  cursor?: string;
}
