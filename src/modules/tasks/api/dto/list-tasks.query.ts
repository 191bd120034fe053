import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQuery } from '../../../../common/pagination/page.query';
import { IsTimestamp } from '../../../../common/validation/timestamp';
import { TASK_STATUSES, TaskStatus } from '../../lifecycle/task-status';

/** Orders of the task list. */
export const TASK_SORTS = ['created', 'priority'] as const;

const asList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').filter(Boolean) : value;
const asArray = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? [value] : value;

export class ListTasksQuery extends PageQuery {
  /** One status or several, comma-separated. */
  @IsOptional()
  @Transform(asList)
  @IsIn(TASK_STATUSES, { each: true })
  @ArrayMaxSize(TASK_STATUSES.length)
  status?: TaskStatus[];

  @IsOptional()
  @IsString()
  @Length(1, 64)
  queue?: string;

  /** Owner's user id (members always see only their own tasks). */
  @IsOptional()
  @IsUUID()
  owner?: string;

  /** `key=value`; repeat for several labels (all must match). */
  @IsOptional()
  @Transform(asArray)
  @ArrayMaxSize(8)
  @Matches(/^[^=]{1,63}=.{0,255}$/, { each: true, message: 'each label must be key=value' })
  label?: string[];

  /** Part of the name, case-insensitive. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  nameContains?: string;

  /** RFC 3339 date-time. */
  @IsOptional()
  @IsTimestamp()
  createdAfter?: Date;

  /** RFC 3339 date-time. */
  @IsOptional()
  @IsTimestamp()
  createdBefore?: Date;

  @IsOptional()
  @IsIn(TASK_SORTS)
  // Listed by hand, in a fixed order: see HealthResponse.status.
  @ApiPropertyOptional({
    enum: TASK_SORTS,
    description:
      '`created` (newest first, the default) or `priority` (highest first, then oldest).',
  })
  sort?: (typeof TASK_SORTS)[number];
}
