import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { Omittable } from '../../../common/validation/omittable';
import { QueueOptionsDto } from './queue-fields.dto';

/** Fields left out stay as they are; null access lists return to the default rule. */
export class UpdateQueueDto extends QueueOptionsDto {
  @Omittable()
  @IsString()
  @MaxLength(32)
  runtime?: string;

  @Omittable()
  @IsInt()
  @Min(1)
  @Max(100_000)
  @ApiPropertyOptional({ type: 'integer' })
  maxRunning?: number;

  @Omittable()
  @IsInt()
  @Min(0)
  @Max(100_000)
  @ApiPropertyOptional({ type: 'integer' })
  maxGpus?: number;
}
