// Opaque cursors for the user list: the last normalized username of a page.
import { asRecord, decodeCursor, encodeCursor } from '../../common/pagination/opaque-cursor';
import { isStorableText } from '../../common/validation/storable-text';

export function encodeUserCursor(usernameNormalized: string): string {
  return encodeCursor({ u: usernameNormalized });
}

export function decodeUserCursor(cursor: string): string {
  return decodeCursor(cursor, (value) => {
    const username = asRecord(value)?.u;
    return typeof username === 'string' && isStorableText(username) ? username : undefined;
  });
}
