// The embedded driver: one process answers every invocation, so its memory is the truth.
import { BucketTable } from './bucket-table';
import type { InvocationStats } from './invocation-stats.port';
import { BUCKET_SECONDS, Invocation, InvocationSummary, summarize } from './invocation-window';

export class MemoryInvocationStats implements InvocationStats {
  readonly driver = 'memory';
  private readonly table = new BucketTable();
  private prunedAt = 0;

  record(serviceId: string, invocation: Invocation): void {
    this.table.add(serviceId, invocation);
    // services no longer invoked would keep their last buckets forever otherwise
    if (invocation.at - this.prunedAt >= BUCKET_SECONDS * 1000) {
      this.prunedAt = invocation.at;
      this.table.prune(invocation.at);
    }
  }

  summary(serviceId: string, nowMs = Date.now()): Promise<InvocationSummary> {
    return Promise.resolve(summarize(this.table.inWindow(serviceId, nowMs)));
  }
}
