// Walks a keyset-paginated list of the API page by page, as a client would: each
// request passes the previous page's nextCursor until it is null.

export interface CursorPage<Item> {
  items: Item[];
  nextCursor?: string | null;
}

/** The items of each page `readPage` returns, starting without a cursor. */
export async function readPages<Item>(
  readPage: (cursor: string | undefined) => Promise<CursorPage<Item>>,
): Promise<Item[][]> {
  const pages: Item[][] = [];
  let cursor: string | undefined;
  do {
    const page = await readPage(cursor);
    pages.push(page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return pages;
}
