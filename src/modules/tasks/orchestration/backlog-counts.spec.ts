import { BacklogCounts, PendingCounts } from './backlog-counts';

describe('BacklogCounts', () => {
  let now: number;
  let pending: Map<string, number>;
  let reads: number;
  let counts: BacklogCounts;
  const limits = { maxMine: 3, maxTotal: 100 };

  const readPending = async (userId: string): Promise<PendingCounts> => {
    reads++;
    const total = [...pending.values()].reduce((sum, count) => sum + count, 0);
    return { mine: pending.get(userId) ?? 0, total };
  };
  /** A submit as CapacityService checks it: let through while under both limits. */
  const submit = async (userId: string): Promise<boolean> => {
    const { mine, total } = await counts.of(userId, limits);
    if (mine >= limits.maxMine || total >= limits.maxTotal) return false;
    counts.added(userId);
    pending.set(userId, (pending.get(userId) ?? 0) + 1);
    return true;
  };

  beforeEach(() => {
    now = 0;
    pending = new Map([['other', 50]]);
    reads = 0;
    counts = new BacklogCounts(readPending, () => now);
  });

  it('reads the counts once while far under the limits, counting what it lets through', async () => {
    expect(await submit('alice')).toBe(true);
    expect(await submit('alice')).toBe(true);
    expect(reads).toBe(1);
    await expect(counts.of('alice', limits)).resolves.toEqual({ mine: 2, total: 52 });
  });

  it('stops a user at the limit, reading the exact count before refusing', async () => {
    const results = [];
    for (let submitted = 0; submitted < 5; submitted++) results.push(await submit('alice'));
    expect(results).toEqual([true, true, true, false, false]);
    expect(pending.get('alice')).toBe(3);
  });

  it('does not refuse a user whose backlog drained since the last read', async () => {
    for (let submitted = 0; submitted < 3; submitted++) await submit('alice');
    pending.set('alice', 0); // dispatched meanwhile, within the same second

    expect(await submit('alice')).toBe(true);
    expect(reads).toBe(2);
  });

  it('reads again once its counts are a second old', async () => {
    await submit('alice');
    pending.set('other', 99); // another Kiln process's submits
    now = 999;
    await expect(counts.of('alice', limits)).resolves.toEqual({ mine: 1, total: 51 });
    now = 1000;
    await expect(counts.of('alice', limits)).resolves.toEqual({ mine: 1, total: 100 });
    expect(await submit('alice')).toBe(false);
  });

  it("counts another user's submits in everyone's total", async () => {
    await submit('alice');
    await submit('bob');
    await expect(counts.of('alice', limits)).resolves.toEqual({ mine: 1, total: 52 });
  });
});
