// The cursor of a list ordered by a timestamp and then the id: the order of most of
// Kiln's lists (audit entries, schedules, sweeps, fire records).
import { isUUID } from 'class-validator';
import { parseTimestamp } from '../validation/timestamp';
import { asRecord, decodeCursor, encodeCursor } from './opaque-cursor';

export interface TimeIdKey {
  at: Date;
  id: string;
}

export function encodeTimeIdCursor(key: TimeIdKey): string {
  return encodeCursor({ t: key.at.toISOString(), id: key.id });
}

export function decodeTimeIdCursor(text: string): TimeIdKey {
  return decodeCursor(text, (value) => {
    const record = asRecord(value);
    const at = typeof record?.t === 'string' ? parseTimestamp(record.t) : undefined;
    const id = record?.id;
    return at && typeof id === 'string' && isUUID(id) ? { at, id } : undefined;
  });
}
