// Opaque keyset cursors for the task list: the sort key of the last item of a page.
// A cursor comes back from the client, so its contents are checked like any input: a
// value the database would refuse (a non-uuid id, a priority of 1e300, a date in year
// -271821) is a 400 here, not a failed query.
import { isUUID } from 'class-validator';
import { InvalidInputError } from '../../../common/errors/domain-error';
import { parseTimestamp } from '../../../common/validation/timestamp';
import { MAX_PRIORITY } from './dto/task-limits';

export interface TaskCursor {
  /** created_at of the last item, ISO. */
  c: string;
  id: string;
  /** priority of the last item, for sort=priority. */
  p?: number;
}

export function encodeTaskCursor(cursor: TaskCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeTaskCursor(text: string): TaskCursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as TaskCursor;
    if (isTaskCursor(value)) return value;
  } catch {
    // fall through to the error below
  }
  throw new InvalidInputError('The cursor is not one this API returned.', [
    { field: 'cursor', message: 'is not valid' },
  ]);
}

function isTaskCursor(value: TaskCursor): boolean {
  return (
    typeof value.c === 'string' &&
    parseTimestamp(value.c) !== undefined &&
    typeof value.id === 'string' &&
    isUUID(value.id) &&
    (value.p === undefined || (Number.isInteger(value.p) && Math.abs(value.p) <= MAX_PRIORITY))
  );
}
