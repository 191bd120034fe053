// Opaque cursors for the user list: the last normalized username of a page.
import { InvalidInputError } from '../../common/errors/domain-error';
import { isStorableText } from '../../common/validation/storable-text';

export function encodeUserCursor(usernameNormalized: string): string {
  return Buffer.from(JSON.stringify({ u: usernameNormalized }), 'utf8').toString('base64url');
}

export function decodeUserCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const username = (parsed as { u?: unknown }).u;
    if (typeof username === 'string' && isStorableText(username)) return username;
  } catch {
    // fall through to the error below
  }
  throw new InvalidInputError('The cursor is not one this API returned.', [
    { field: 'cursor', message: 'is not valid' },
  ]);
}
