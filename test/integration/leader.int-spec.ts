// The leader lock with real Redis and real Kiln processes: a test-only
// `@LeaderOnly() @Interval(1000)` job (test/support/entry/leader-job.main.js) records
// every run in PostgreSQL, and the runs show which process led, when, in which epoch.
import { waitUntil } from '../../src/common/wait-until';
import { KilnProcess } from '../support/kiln-process';
import {
  gapsBetween,
  LEADER_JOB_ENTRY,
  leaderGauge,
  ProbeRun,
  readProbeRuns,
} from '../support/leader-probe';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import {
  createTestRedisPrefix,
  PrivateRedisServer,
  SHARED_REDIS_URL,
  TestRedisPrefix,
} from '../support/redis';

const TTL_MS = 3_000;
const TICK_MS = 1_000;
/**
 * The killed leader's key expires at most TTL after the kill (its last renewal was sent
 * before it), a standby tries again the moment the key expires (it read the PTTL on its
 * previous attempt), and the job then runs on that process's next tick. The allowance
 * is for what a loaded machine adds to that: the standby's timer firing late, Redis and
 * PostgreSQL round trips, and the probe process starting its run.
 */
const SCHEDULING_ALLOWANCE_MS = 500;
const TAKEOVER_LIMIT_MS = TTL_MS + TICK_MS + SCHEDULING_ALLOWANCE_MS;

/** No tick ran twice (gaps near a tick), and none was missed. */
function expectOneRunPerTick(runs: ProbeRun[]): void {
  for (const gap of gapsBetween(runs)) {
    expect(gap).toBeGreaterThanOrEqual(TICK_MS - 100);
    expect(gap).toBeLessThan(2 * TICK_MS - 100);
  }
}

async function startKilns(count: number, env: Record<string, string>): Promise<KilnProcess[]> {
  // The first one migrates the fresh database; the others then start side by side.
  const first = await KilnProcess.start({ entry: LEADER_JOB_ENTRY, env });
  const others = await Promise.all(
    Array.from({ length: count - 1 }, () => KilnProcess.start({ entry: LEADER_JOB_ENTRY, env })),
  );
  return [first, ...others];
}

async function runsAfter(database: TestDatabase, since: number): Promise<ProbeRun[]> {
  return (await readProbeRuns(database.url)).filter((run) => run.startedAt > since);
}

async function waitForRuns(
  database: TestDatabase,
  since: number,
  count: number,
  timeoutMs: number,
): Promise<ProbeRun[]> {
  let runs: ProbeRun[] = [];
  const result = await waitUntil(
    async () => (runs = await runsAfter(database, since)).length >= count,
    { timeoutMs, intervalMs: 200 },
  );
  if (!result.satisfied)
    throw new Error(`Expected ${count} runs within ${timeoutMs} ms, saw ${runs.length}`);
  return runs.slice(0, count);
}

describe('leader-only job on three Kiln processes (shared Redis)', () => {
  let database: TestDatabase;
  let redisPrefix: TestRedisPrefix;
  let kilns: KilnProcess[];

  beforeAll(async () => {
    database = await createTestDatabase('kiln_leader');
    redisPrefix = createTestRedisPrefix('kiln-leader');
    kilns = await startKilns(3, {
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: SHARED_REDIS_URL,
      KILN_REDIS_KEY_PREFIX: redisPrefix.prefix,
      KILN_LOCK_TTL_MS: String(TTL_MS),
    });
  });

  afterAll(async () => {
    await Promise.all((kilns ?? []).map((kiln) => kiln.stop('SIGKILL')));
    await redisPrefix?.cleanup();
    await database?.drop();
  });

  it('runs every tick on exactly one process and no tick twice, over 20 s', async () => {
    const [firstRun] = await waitForRuns(database, 0, 1, 15_000);
    const runs = await waitForRuns(database, firstRun.startedAt - 1, 21, 40_000);

    expect(new Set(runs.map((run) => run.pid)).size).toBe(1);
    expect(new Set(runs.map((run) => run.epoch)).size).toBe(1);
    expect(kilns.map((kiln) => kiln.pid)).toContain(runs[0].pid);
    expectOneRunPerTick(runs);
    const gauges = await Promise.all(kilns.map((kiln) => leaderGauge(kiln.url)));
    expect([...gauges].sort()).toEqual([0, 0, 1]);
  });

  it('moves the job to another process within TTL + one interval of a SIGKILL', async () => {
    const before = await readProbeRuns(database.url);
    const oldTerm = before[before.length - 1];
    const leader = kilns.find((kiln) => kiln.pid === oldTerm.pid)!;
    const killedAt = Date.now();
    await leader.stop('SIGKILL');

    // Waits past the limit, so that a late takeover fails on the assertion naming it.
    const [takeover] = await waitForRuns(database, killedAt, 1, TAKEOVER_LIMIT_MS + 5_000);
    expect(takeover.pid).not.toBe(oldTerm.pid);
    expect(takeover.epoch).toBeGreaterThan(oldTerm.epoch);
    expect(takeover.startedAt - killedAt).toBeLessThanOrEqual(TAKEOVER_LIMIT_MS);

    const newTerm = await waitForRuns(database, killedAt, 5, 15_000);
    expect(new Set(newTerm.map((run) => run.pid))).toEqual(new Set([takeover.pid]));
    expectOneRunPerTick(newTerm);
  });

  it('never ran a tick on two processes: terms do not overlap in time', async () => {
    const runs = await readProbeRuns(database.url);
    const terms = new Map<number, { pid: number; first: number; last: number }>();
    for (const run of runs) {
      const term = terms.get(run.epoch) ?? { pid: run.pid, first: run.startedAt, last: 0 };
      expect(term.pid).toBe(run.pid);
      term.last = run.startedAt;
      terms.set(run.epoch, term);
    }
    const ordered = [...terms.entries()].sort(([a], [b]) => a - b).map(([, term]) => term);
    for (let index = 1; index < ordered.length; index++)
      expect(ordered[index].first).toBeGreaterThan(ordered[index - 1].last);
  });
});

describe('leader-only job through a Redis restart (private redis-server)', () => {
  let database: TestDatabase;
  let redis: PrivateRedisServer;
  let kilns: KilnProcess[];

  beforeAll(async () => {
    database = await createTestDatabase('kiln_leader_fault');
    redis = await PrivateRedisServer.start();
    kilns = await startKilns(2, {
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: redis.url,
      KILN_LOCK_TTL_MS: String(TTL_MS),
    });
  });

  afterAll(async () => {
    await Promise.all((kilns ?? []).map((kiln) => kiln.stop('SIGKILL')));
    await redis?.stop();
    await database?.drop();
  });

  it('stops leader work while Redis is down (fails closed)', async () => {
    await waitForRuns(database, 0, 2, 15_000);
    const stoppedAt = Date.now();
    await redis.stop();
    // What matters: no run starts once the lease the leader last renewed could have run
    // out (its own timestamps, so no observer latency is in this bound) ...
    const leaseGoneAt = stoppedAt + TTL_MS;
    // ... and the leader gauges, read over HTTP, agree; polling two processes' /metrics
    // on a loaded machine adds its own delay, hence the same allowance as takeover.
    const noLeader = await waitUntil(
      async () =>
        (await Promise.all(kilns.map((kiln) => leaderGauge(kiln.url)))).every((g) => g === 0),
      { timeoutMs: TTL_MS + SCHEDULING_ALLOWANCE_MS, intervalMs: 100 },
    );
    expect(noLeader.satisfied).toBe(true);
    // nothing may run once the gauges said so, nor once the lease was gone
    const since = Math.min(Date.now(), leaseGoneAt);
    const ranAnyway = await waitUntil(async () => (await runsAfter(database, since)).length > 0, {
      timeoutMs: 3 * TICK_MS,
      intervalMs: 200,
    });
    expect(ranAnyway.satisfied).toBe(false);
  });

  it('resumes leadership once Redis is back, without restarting Kiln', async () => {
    const before = await readProbeRuns(database.url);
    const pids = kilns.map((kiln) => kiln.pid);
    const restartedAt = Date.now();
    await redis.start();

    const runs = await waitForRuns(database, restartedAt, 4, 20_000);
    expect(new Set(runs.map((run) => run.pid)).size).toBe(1);
    expect(pids).toContain(runs[0].pid);
    expect(kilns.every((kiln) => kiln.child.exitCode === null)).toBe(true);
    // Redis came back empty; the epoch still moved past every earlier term.
    expect(runs[0].epoch).toBeGreaterThan(Math.max(...before.map((run) => run.epoch)));
    expectOneRunPerTick(runs);
  });
});
