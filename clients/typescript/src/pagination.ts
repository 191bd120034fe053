// Kiln's lists are keyset pages: each answer names the cursor of the next one, or null
// at the end. These walk the pages so a caller sees one sequence of items.
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** Yields every item of every page, asking for the next page only when it is needed. */
export async function* paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>,
): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/** The first `limit` items across pages. */
export async function collect<T>(items: AsyncIterable<T>, limit = Infinity): Promise<T[]> {
  const result: T[] = [];
  if (limit <= 0) return result;
  for await (const item of items) {
    result.push(item);
    if (result.length >= limit) break;
  }
  return result;
}
