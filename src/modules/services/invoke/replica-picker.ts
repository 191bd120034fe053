// Which ready replica takes the next invocation: round-robin over the ready ones, skipping
// for a short while a replica that just refused a connection or broke one off (it died,
// or is stopping, and the endpoints have not caught up yet).
import type { ServiceEndpoint } from '../../runtimes';

const FAILED_SKIP_MS = 2000;

export class ReplicaPicker {
  private readonly turns = new Map<string, number>();
  private readonly failed = new Map<string, number>();

  /** The next replica of the service not in `tried`, or undefined when none is left. */
  pick(
    serviceId: string,
    endpoints: readonly ServiceEndpoint[],
    tried: ReadonlySet<string> = new Set(),
  ): ServiceEndpoint | undefined {
    const now = Date.now();
    const candidates = endpoints.filter((endpoint) => !tried.has(endpoint.url));
    const healthy = candidates.filter((endpoint) => (this.failed.get(endpoint.url) ?? 0) <= now);
    const pool = healthy.length > 0 ? healthy : candidates;
    if (pool.length === 0) return undefined;
    const turn = (this.turns.get(serviceId) ?? 0) % pool.length;
    this.turns.set(serviceId, turn + 1);
    return pool[turn];
  }

  markFailed(url: string): void {
    this.failed.set(url, Date.now() + FAILED_SKIP_MS);
    if (this.failed.size > 1000) this.forgetExpired();
  }

  forget(serviceId: string): void {
    this.turns.delete(serviceId);
  }

  private forgetExpired(): void {
    const now = Date.now();
    for (const [url, until] of this.failed) if (until <= now) this.failed.delete(url);
  }
}
