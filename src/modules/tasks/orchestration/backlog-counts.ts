// The pending backlog a submit is checked against. Counting every pending task costs
// PostgreSQL a walk over the whole backlog, and a sweep submitting thousands of tasks
// paid it on every submit. A count read less than a second ago is used as an upper
// bound instead: this process adds each submit it lets through, and pending tasks only
// leave the backlog otherwise (dispatched, cancelled), so while that bound is under the
// limit the submit is let through without a query. Near a limit the count is read
// exactly, so nobody is refused while there is room. What this process cannot see are
// other Kiln processes' submits since its last read: with several API replicas, a
// backlog can pass its limit by what they accept within a second.
export interface PendingCounts {
  /** The user's pending tasks. */
  mine: number;
  /** Everyone's pending tasks. */
  total: number;
}

export interface BacklogLimits {
  maxMine: number;
  maxTotal: number;
}

const FRESH_MS = 1000;
/** Users whose counts are kept at most; the oldest go first. */
const MAX_USERS = 10_000;

interface Counted {
  count: number;
  readAt: number;
}

export class BacklogCounts {
  private readonly byUser = new Map<string, Counted>();
  private total?: Counted;

  constructor(
    private readonly read: (userId: string) => Promise<PendingCounts>,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The counts to check `limits` against: upper bounds while they are fresh and under
   * both limits, the database's exact counts otherwise.
   */
  async of(userId: string, limits: BacklogLimits): Promise<PendingCounts> {
    const bound = this.freshBound(userId);
    if (bound && bound.mine < limits.maxMine && bound.total < limits.maxTotal) return bound;
    const counts = await this.read(userId);
    const readAt = this.now();
    this.remember(userId, { count: counts.mine, readAt });
    this.total = { count: counts.total, readAt };
    return counts;
  }

  /** A submit by `userId` was let through: one more pending task until the next read. */
  added(userId: string): void {
    const user = this.byUser.get(userId);
    if (user) user.count++;
    if (this.total) this.total.count++;
  }

  private freshBound(userId: string): PendingCounts | undefined {
    const user = this.byUser.get(userId);
    const total = this.total;
    const since = this.now() - FRESH_MS;
    if (!user || !total || user.readAt <= since || total.readAt <= since) return undefined;
    return { mine: user.count, total: total.count };
  }

  private remember(userId: string, counted: Counted): void {
    this.byUser.delete(userId);
    if (this.byUser.size >= MAX_USERS) this.byUser.delete(this.byUser.keys().next().value!);
    this.byUser.set(userId, counted);
  }
}
