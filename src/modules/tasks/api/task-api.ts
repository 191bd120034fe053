// Swagger declarations every task-scoped operation shares, so their contracts stay alike.
import { ApiUuidParam } from '../../../common/decorators/api-uuid-param.decorator';

/** The `{id}` path parameter of a task operation. */
export const TASK_ID = ApiUuidParam('The task’s id');

/** Tasks of other users answer 404 too, so their ids do not leak. */
export const TASK_NOT_FOUND = { 404: 'No such task, or not the caller’s' } as const;
