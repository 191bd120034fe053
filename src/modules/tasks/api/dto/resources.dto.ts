import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

export class ResourcesDto {
  /** CPU cores; fractions allowed (0.5), in steps of 0.001. */
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 3, allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(512)
  cpu?: number;

  /** Memory in MiB. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4_194_304)
  @ApiPropertyOptional({ type: 'integer' })
  memoryMiB?: number;

  /** Whole GPUs. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(64)
  @ApiPropertyOptional({ type: 'integer' })
  gpu?: number;
}
