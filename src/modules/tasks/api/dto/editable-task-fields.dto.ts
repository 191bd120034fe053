import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { Omittable } from '../../../../common/validation/omittable';
import { MAX_PRIORITY, OptionalLabels } from './task-limits';

/**
 * The fields of a task its owner may still change after the submit, with the rules of
 * their values. The submit and the update derive from it, so the two never disagree on
 * what a valid name or priority is; each says only what it may leave out.
 */
export class EditableTaskFields {
  @IsString()
  @Length(1, 200)
  name: string;

  @Omittable()
  @IsString()
  @MaxLength(4000)
  description?: string;

  /** Key/value labels, e.g. `{"team": "vision"}`; filter with `label=team=vision`. */
  @OptionalLabels()
  labels?: Record<string, string>;

  @Omittable()
  @IsInt()
  @Min(-MAX_PRIORITY)
  @Max(MAX_PRIORITY)
  // Declared by hand: the Swagger plugin cannot evaluate `-MAX_PRIORITY` and drops the field.
  @ApiPropertyOptional({ type: 'integer', minimum: -MAX_PRIORITY, maximum: MAX_PRIORITY })
  priority?: number;
}
