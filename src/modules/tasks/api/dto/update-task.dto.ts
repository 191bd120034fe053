import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { Omittable } from '../../../../common/validation/omittable';
import { MAX_PRIORITY, OptionalLabels } from './task-limits';

/** What may change after a submit; priority only while the task is pending. */
export class UpdateTaskDto {
  @Omittable()
  @IsString()
  @Length(1, 200)
  name?: string;

  @Omittable()
  @IsString()
  @MaxLength(4000)
  description?: string;

  /** Replaces all labels. */
  @OptionalLabels()
  labels?: Record<string, string>;

  @Omittable()
  @IsInt()
  @Min(-MAX_PRIORITY)
  @Max(MAX_PRIORITY)
  // Declared by hand: the Swagger plugin cannot read `-MAX_PRIORITY` and drops the field.
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Higher runs first; changes only while the task is pending.',
    minimum: -MAX_PRIORITY,
    maximum: MAX_PRIORITY,
  })
  priority?: number;
}
