// Opaque keyset cursors for the task list: the sort key of the last item of a page.
import { InvalidInputError } from '../../common/errors/domain-error';

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
    if (
      typeof value.c === 'string' &&
      !Number.isNaN(Date.parse(value.c)) &&
      typeof value.id === 'string' &&
      (value.p === undefined || Number.isInteger(value.p))
    ) {
      return value;
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidInputError('The cursor is not one this API returned.', [
    { field: 'cursor', message: 'is not valid' },
  ]);
}
