import { PageQuery } from '../../../common/pagination/page.query';

/** A page of the sweeps the caller may see, oldest first. */
export class ListSweepsQuery extends PageQuery {}

/** A page of a sweep's trials, by index. */
export class ListSweepTrialsQuery extends PageQuery {}
