// Opaque keyset cursors: the sort key of the last item of a page, as base64url JSON.
// Every list of the API pages this way. A cursor comes back from the client, so its
// contents are checked like any input: a value the database would refuse (a non-uuid
// id, a date in year -271821) is a 400 naming `cursor`, not a failed query.
import { InvalidInputError } from '../errors/domain-error';

/** The sort key of a page's last item, as the text the client sends back. */
export function encodeCursor(key: object): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * The key a cursor carries. `read` checks the decoded JSON and returns the key, or
 * undefined when it is not one this API wrote.
 */
export function decodeCursor<Key>(text: string, read: (value: unknown) => Key | undefined): Key {
  let key: Key | undefined;
  try {
    key = read(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    key = undefined;
  }
  if (key !== undefined) return key;
  throw new InvalidInputError('The cursor is not one this API returned.', [
    { field: 'cursor', message: 'is not valid' },
  ]);
}

/** The decoded JSON as a record, for `read` functions to pick fields from. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
