// Keyset cursors for the task list: the sort key of the last item of a page, with its
// priority when the list is sorted by it (a priority of 1e300 is a 400, not a query).
import { isUUID } from 'class-validator';
import { decodeCursor, encodeCursor } from '../../../common/pagination/opaque-cursor';
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
  return encodeCursor(cursor);
}

export function decodeTaskCursor(text: string): TaskCursor {
  return decodeCursor(text, (value) =>
    isTaskCursor(value as TaskCursor) ? (value as TaskCursor) : undefined,
  );
}

function isTaskCursor(value: TaskCursor | null): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof value.c === 'string' &&
    parseTimestamp(value.c) !== undefined &&
    typeof value.id === 'string' &&
    isUUID(value.id) &&
    (value.p === undefined || (Number.isInteger(value.p) && Math.abs(value.p) <= MAX_PRIORITY))
  );
}
