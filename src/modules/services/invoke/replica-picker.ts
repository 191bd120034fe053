// Which ready replica takes the next invocation: round-robin over the ready ones, skipping
// a replica that just refused a connection (it died, and its health check has not caught
// up yet) for a short while.
import type { ServiceEndpoint } from '../../runtimes';

const REFUSED_SKIP_MS = 2000;

export class ReplicaPicker {
  private readonly turns = new Map<string, number>();
  private readonly refused = new Map<string, number>();

  /** The next replica of the service not in `tried`, or undefined when none is left. */
  pick(
    serviceId: string,
    endpoints: readonly ServiceEndpoint[],
    tried: ReadonlySet<string> = new Set(),
  ): ServiceEndpoint | undefined {
    const now = Date.now();
    const candidates = endpoints.filter((endpoint) => !tried.has(endpoint.url));
    const healthy = candidates.filter((endpoint) => (this.refused.get(endpoint.url) ?? 0) <= now);
    const pool = healthy.length > 0 ? healthy : candidates;
    if (pool.length === 0) return undefined;
    const turn = (this.turns.get(serviceId) ?? 0) % pool.length;
    this.turns.set(serviceId, turn + 1);
    return pool[turn];
  }

  markRefused(url: string): void {
    this.refused.set(url, Date.now() + REFUSED_SKIP_MS);
    if (this.refused.size > 1000) this.forgetExpired();
  }

  forget(serviceId: string): void {
    this.turns.delete(serviceId);
  }

  private forgetExpired(): void {
    const now = Date.now();
    for (const [url, until] of this.refused) if (until <= now) this.refused.delete(url);
  }
}
