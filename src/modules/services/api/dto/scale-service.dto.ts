import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_REPLICAS } from './service-limits';

export class ScaleServiceDto {
  /** Replicas wanted; 0 stops them all and keeps the service. */
  @IsInt()
  @Min(0)
  @Max(MAX_REPLICAS)
  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_REPLICAS })
  replicas: number;
}
