import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsNumber,
  IsUUID,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Omittable } from '../../../common/validation/omittable';
import { Role } from '../../auth';

/** What a task gets for each resource its submit leaves out. */
export class QueueResourcesDto {
  /** CPU cores, in steps of 0.001. */
  @IsNumber({ maxDecimalPlaces: 3, allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(512)
  cpu: number;

  /** Memory in MiB. */
  @IsInt()
  @Min(1)
  @Max(4_194_304)
  @ApiProperty({ type: 'integer' })
  memoryMiB: number;

  @IsInt()
  @Min(0)
  @Max(64)
  @ApiProperty({ type: 'integer' })
  gpu: number;
}

/** Who may submit to a queue, what its tasks get by default, whether it dispatches. */
export class QueueOptionsDto {
  /** Roles that may submit; null or left out: the default rule (see the README). */
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsArray()
  @ArrayMaxSize(3)
  @IsEnum(Role, { each: true })
  @ApiPropertyOptional({ enum: Role, isArray: true, nullable: true })
  allowedRoles?: Role[] | null;

  /** User ids that may submit whatever their role; null or left out: nobody by id. */
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  @ApiPropertyOptional({ type: 'string', format: 'uuid', isArray: true, nullable: true })
  allowedUsers?: string[] | null;

  @Omittable()
  @ValidateNested()
  @Type(() => QueueResourcesDto)
  defaultResources?: QueueResourcesDto;

  /** A paused queue takes submits and dispatches nothing. */
  @Omittable()
  @IsBoolean()
  paused?: boolean;

  /** Lowest priority a task of this queue may have; null or left out: no bound. */
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsInt()
  @Min(-1000)
  @Max(1000)
  @ApiPropertyOptional({ type: 'integer', nullable: true })
  minPriority?: number | null;

  /** Highest priority a task of this queue may have; null or left out: no bound. */
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsInt()
  @Min(-1000)
  @Max(1000)
  @ApiPropertyOptional({ type: 'integer', nullable: true })
  maxPriority?: number | null;
}
