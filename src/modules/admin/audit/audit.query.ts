import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { IsTimestamp } from '../../../common/validation/timestamp';
import { AuditAction } from '../../audit';

export class AuditQueryDto {
  /** Page size. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  @ApiPropertyOptional({ type: 'integer' })
  limit?: number;

  /** nextCursor from the previous page. */
  @IsOptional()
  @IsString()
  @Length(1, 300)
  cursor?: string;

  /** Only actions of this user. */
  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ format: 'uuid' })
  actor?: string;

  /** Only these actions; repeat the parameter or separate with commas. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',') : value,
  )
  @ArrayMaxSize(50)
  @IsEnum(AuditAction, { each: true })
  @ApiPropertyOptional({ enum: AuditAction, isArray: true })
  action?: AuditAction[];

  /** Only actions on things of this type (`user`, `queue`, `api-token`, …). */
  @IsOptional()
  @IsString()
  @Length(1, 32)
  targetType?: string;

  /** Only actions on the thing with this id (a user id, a queue name, …). */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  targetId?: string;

  /** From this time on (inclusive), RFC 3339. */
  @IsOptional()
  @IsTimestamp()
  @ApiPropertyOptional({ type: 'string', format: 'date-time' })
  since?: Date;

  /** Before this time (exclusive), RFC 3339. */
  @IsOptional()
  @IsTimestamp()
  @ApiPropertyOptional({ type: 'string', format: 'date-time' })
  until?: Date;
}
