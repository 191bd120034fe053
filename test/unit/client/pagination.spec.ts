import { collect, paginate } from '@kiln/client';

describe('cursor pagination', () => {
  const pages: Record<string, { items: number[]; nextCursor: string | null }> = {
    start: { items: [1, 2], nextCursor: 'b' },
    b: { items: [3, 4], nextCursor: 'c' },
    c: { items: [5], nextCursor: null },
  };

  it('walks every page in order until the cursor runs out', async () => {
    const asked: Array<string | undefined> = [];
    const items = paginate(async (cursor) => {
      asked.push(cursor);
      return pages[cursor ?? 'start'];
    });
    expect(await collect(items)).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([undefined, 'b', 'c']);
  });

  it('asks for no page beyond the items a caller takes', async () => {
    const asked: Array<string | undefined> = [];
    const items = paginate(async (cursor) => {
      asked.push(cursor);
      return pages[cursor ?? 'start'];
    });
    expect(await collect(items, 2)).toEqual([1, 2]);
    expect(asked).toEqual([undefined]);
  });
});
