// Keyset cursors for a sweep's trials: the index of the last trial of a page.
import { asRecord, decodeCursor, encodeCursor } from '../../common/pagination/opaque-cursor';
import { MAX_TRIALS } from './dto/create-sweep.dto';

export function encodeTrialCursor(index: number): string {
  return encodeCursor({ i: index });
}

export function decodeTrialCursor(text: string): number {
  return decodeCursor(text, (value) => {
    const index = asRecord(value)?.i;
    return Number.isInteger(index) && (index as number) >= 0 && (index as number) < MAX_TRIALS
      ? (index as number)
      : undefined;
  });
}
