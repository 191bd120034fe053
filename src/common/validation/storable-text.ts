// Text the databases can store. PostgreSQL refuses NUL in text and jsonb and rejects
// strings with unpaired UTF-16 surrogates (they have no UTF-8 form), and SQLite would
// store them only to hand back something else; so neither gets past the API's edge.
import type { FieldProblem } from '../errors/domain-error';

/** NUL, or a surrogate that is not half of a pair (in `u` mode a pair is one code point). */
const UNSTORABLE = /[\0\p{Cs}]/u;

/** Problems past this many add nothing a client can act on. */
const MAX_PROBLEMS = 10;

export const UNSTORABLE_TEXT_MESSAGE =
  'contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored';

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/**
 * Every string in `value` (object keys included) that cannot be stored, by field path.
 * Iterative, so any depth the body parser lets through costs no stack.
 */
export function unstorableTextIn(value: unknown, root = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: Array<[string, unknown]> = [[root, value]];
  while (pending.length > 0 && problems.length < MAX_PROBLEMS) {
    const [field, item] = pending.pop()!;
    if (typeof item === 'string') {
      if (!isStorableText(item))
        problems.push({ field: field || '(value)', message: UNSTORABLE_TEXT_MESSAGE });
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        const path = field ? `${field}.${key}` : key;
        if (!isStorableText(key)) {
          // the key itself is the problem; at the top level it is the only name there is
          problems.push({
            field: field || JSON.stringify(key),
            message: `has a key that ${UNSTORABLE_TEXT_MESSAGE}`,
          });
        } else pending.push([path, child]);
      }
    }
  }
  return problems;
}
