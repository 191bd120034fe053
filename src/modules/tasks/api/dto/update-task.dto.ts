import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { EditableTaskFields } from './editable-task-fields.dto';

/**
 * What may change after a submit; priority only while the task is pending. Every field
 * may be left out, none may be null: null has no meaning for any of them.
 */
export class UpdateTaskDto extends PartialType(EditableTaskFields, { skipNullProperties: false }) {
  @ApiPropertyOptional({ description: 'Replaces all labels.' })
  override labels?: Record<string, string>;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Higher runs first; changes only while the task is pending.',
  })
  override priority?: number;
}
