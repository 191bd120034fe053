import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** The query of a keyset-paginated list: how many items, and after which. */
export class PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  @ApiPropertyOptional({ type: 'integer', default: DEFAULT_PAGE_SIZE })
  limit?: number;

  /** nextCursor of the previous page. */
  @IsOptional()
  @IsString()
  @Length(1, 300)
  cursor?: string;
}
