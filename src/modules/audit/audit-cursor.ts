// Opaque keyset cursors for the audit log: time and id of the last entry of a page. A
// cursor comes back from the client, so it is checked like any input.
import { isUUID } from 'class-validator';
import { InvalidInputError } from '../../common/errors/domain-error';
import { parseTimestamp } from '../../common/validation/timestamp';

export interface AuditCursor {
  occurredAt: Date;
  id: string;
}

export function encodeAuditCursor(cursor: AuditCursor): string {
  const text = JSON.stringify({ t: cursor.occurredAt.toISOString(), id: cursor.id });
  return Buffer.from(text, 'utf8').toString('base64url');
}

export function decodeAuditCursor(text: string): AuditCursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      t?: unknown;
      id?: unknown;
    };
    const occurredAt = typeof value.t === 'string' ? parseTimestamp(value.t) : undefined;
    if (occurredAt && typeof value.id === 'string' && isUUID(value.id)) {
      return { occurredAt, id: value.id };
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidInputError('The cursor is not one this API returned.', [
    { field: 'cursor', message: 'is not valid' },
  ]);
}
