import { PartialType } from '@nestjs/swagger';
import { CreateScheduleDto } from './create-schedule.dto';

/** Any field of a schedule; a new `task` replaces the template whole. */
export class UpdateScheduleDto extends PartialType(CreateScheduleDto, {
  skipNullProperties: false,
}) {}
