// Counts per service and time bucket held in this process: the whole store of the memory
// driver, and what the Redis driver has not written yet.
import {
  addInvocation,
  bucketStartOf,
  BucketCounts,
  emptyCounts,
  Invocation,
  isInWindow,
} from './invocation-window';

export class BucketTable {
  private readonly services = new Map<string, Map<number, BucketCounts>>();

  add(serviceId: string, invocation: Invocation): void {
    let buckets = this.services.get(serviceId);
    if (!buckets) this.services.set(serviceId, (buckets = new Map()));
    const start = bucketStartOf(invocation.at);
    let counts = buckets.get(start);
    if (!counts) buckets.set(start, (counts = emptyCounts()));
    addInvocation(counts, invocation);
  }

  /** The service's buckets still inside the window ending at `nowMs`. */
  inWindow(serviceId: string, nowMs: number): BucketCounts[] {
    const buckets = this.services.get(serviceId);
    if (!buckets) return [];
    return [...buckets].filter(([start]) => isInWindow(start, nowMs)).map(([, counts]) => counts);
  }

  /** Forgets buckets that left the window, and services left with none. */
  prune(nowMs: number): void {
    for (const [serviceId, buckets] of this.services) {
      for (const start of buckets.keys()) if (!isInWindow(start, nowMs)) buckets.delete(start);
      if (buckets.size === 0) this.services.delete(serviceId);
    }
  }

  /** Hands over every bucket and starts empty. */
  drain(): Array<{ serviceId: string; start: number; counts: BucketCounts }> {
    const drained = [...this.services].flatMap(([serviceId, buckets]) =>
      [...buckets].map(([start, counts]) => ({ serviceId, start, counts })),
    );
    this.services.clear();
    return drained;
  }

  get isEmpty(): boolean {
    return this.services.size === 0;
  }
}
