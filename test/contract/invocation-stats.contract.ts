// The InvocationStats contract: one suite, run against every driver (memory in the unit
// suite, redis in the integration suite). Every Kiln replica of a deployment records
// through its own instance; a summary read through any of them counts them all.
import { waitUntil } from '../../src/common/wait-until';
import type { InvocationStats } from '../../src/modules/services/invoke/stats/invocation-stats.port';
import type { Invocation } from '../../src/modules/services/invoke/stats/invocation-window';

export interface InvocationStatsHarness {
  /** The stats of one more Kiln replica of the same deployment. */
  replica(): InvocationStats;
  close(): Promise<void>;
}

// Redis expires a bucket by the wall clock, so the invocations are recent ones.
const NOW = Date.now();
let serviceNumber = 0;

function invocation(overrides: Partial<Invocation> = {}): Invocation {
  return { status: 200, latencyMs: 20, retried: false, at: NOW, ...overrides };
}

export function describeInvocationStatsContract(
  driver: string,
  makeHarness: () => InvocationStatsHarness | Promise<InvocationStatsHarness>,
): void {
  describe(`InvocationStats contract: ${driver}`, () => {
    let harness: InvocationStatsHarness;
    let service: string;

    beforeEach(async () => {
      harness = await makeHarness();
      service = `service-${driver}-${(serviceNumber += 1)}`;
    });

    afterEach(() => harness.close());

    it('summarizes a service never invoked as nothing in the window', async () => {
      await expect(harness.replica().summary(service, NOW)).resolves.toEqual({
        windowSeconds: 300,
        total: 0,
        byStatusClass: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
        retried: 0,
        latencyMs: null,
        lastAt: null,
      });
    });

    it('counts invocations by status class, retries, latency and the last one', async () => {
      const stats = harness.replica();
      stats.record(service, invocation({ at: NOW - 120_000 }));
      stats.record(service, invocation({ status: 404 }));
      stats.record(service, invocation({ status: 502, retried: true, at: NOW - 1_000 }));
      await expect(stats.summary(service, NOW)).resolves.toEqual({
        windowSeconds: 300,
        total: 3,
        byStatusClass: { '1xx': 0, '2xx': 1, '3xx': 0, '4xx': 1, '5xx': 1 },
        retried: 1,
        latencyMs: { p50: 17.5, p99: 24.85 },
        lastAt: new Date(NOW),
      });
    });

    it('keeps services apart', async () => {
      const stats = harness.replica();
      stats.record(service, invocation());
      stats.record(`${service}-other`, invocation({ status: 500 }));
      await expect(stats.summary(service, NOW)).resolves.toMatchObject({
        total: 1,
        byStatusClass: { '5xx': 0 },
      });
    });

    it('leaves out invocations older than the window', async () => {
      const stats = harness.replica();
      stats.record(service, invocation({ at: NOW - 301_000 }));
      stats.record(service, invocation({ at: NOW - 10_000 }));
      await expect(stats.summary(service, NOW)).resolves.toMatchObject({
        total: 1,
        lastAt: new Date(NOW - 10_000),
      });
      await expect(stats.summary(service, NOW + 300_000)).resolves.toMatchObject({ total: 0 });
    });

    it('adds up what several Kiln replicas recorded, whichever one is asked', async () => {
      const [first, second] = [harness.replica(), harness.replica()];
      // both before NOW: a later one could fall in a bucket after NOW's, outside the window
      for (let i = 0; i < 9; i++)
        first.record(service, invocation({ latencyMs: 5, at: NOW - 1_000 }));
      second.record(service, invocation({ latencyMs: 2_000, status: 503, at: NOW - 500 }));
      // another replica's counts arrive when it writes them out, within a second or so
      await waitUntil(async () => (await first.summary(service, NOW)).total === 10, {
        timeoutMs: 10_000,
        intervalMs: 50,
      });
      const summary = await first.summary(service, NOW);
      expect(summary).toMatchObject({
        total: 10,
        byStatusClass: { '2xx': 9, '5xx': 1 },
        lastAt: new Date(NOW - 500),
      });
      expect(summary.latencyMs?.p50).toBeLessThanOrEqual(5);
      expect(summary.latencyMs?.p99).toBeGreaterThan(1_000);
    });
  });
}
