import { PageQuery } from '../../../common/pagination/page.query';

/** A page of the schedules the caller may see, oldest first. */
export class ListSchedulesQuery extends PageQuery {}

/** A page of a schedule's fire records, newest first. */
export class ListScheduleFiresQuery extends PageQuery {}
