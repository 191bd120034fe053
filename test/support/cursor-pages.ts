// Walks a keyset-paginated list of the API page by page, as a client would: each
// request passes the previous page's nextCursor until it is null.
import { ApiClient } from './api-client';

/** The items of each page of `path` (which may carry a query), `limit` at a time. */
export async function readPages<Item = Record<string, unknown>>(
  api: ApiClient,
  path: string,
  token: string,
  limit: number,
): Promise<Item[][]> {
  const pages: Item[][] = [];
  const separator = path.includes('?') ? '&' : '?';
  let cursor: string | null = null;
  do {
    const query = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await api.get(`${path}${separator}${query}`, token);
    if (page.status !== 200) throw new Error(`GET ${path}: ${page.status} ${page.text}`);
    pages.push(page.body.items as Item[]);
    cursor = page.body.nextCursor as string | null;
  } while (cursor);
  return pages;
}
