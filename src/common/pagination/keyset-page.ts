// A page of a keyset-paginated list: a repository asks for one row more than the page
// holds; that row's presence says whether a next page exists, and the last item of
// the page gives its cursor.

export interface KeysetPage<Item> {
  items: Item[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** The page from up to `limit + 1` rows read in list order. */
export function keysetPage<Item>(
  rows: Item[],
  limit: number,
  cursorAfter: (last: Item) => string,
): KeysetPage<Item> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? cursorAfter(last) : null };
}
