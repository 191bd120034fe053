import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';

const given = (_object: object, value: unknown): boolean => value !== undefined && value !== null;

/** Fields left out stay as they are; null returns a limit to the default. */
export class UpdateQuotaDto {
  @ValidateIf(given)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  @ApiPropertyOptional({ type: 'integer', nullable: true })
  maxRunning?: number | null;

  @ValidateIf(given)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  @ApiPropertyOptional({ type: 'integer', nullable: true })
  maxGpus?: number | null;

  @ValidateIf(given)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  @ApiPropertyOptional({ type: 'integer', nullable: true })
  maxPending?: number | null;
}
