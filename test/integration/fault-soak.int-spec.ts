// A bounded fault soak: two replicas sharing a database, Redis and a runs directory take
// a steady stream of submits while, in turn, their database backends are terminated, the
// database is down for 30 s, Redis is down for 30 s, and the leader is killed. At the end
// every accepted task is final, no run ran to completion twice, no replica crashed, and
// no run process is left behind.
import { appendFileSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { waitUntil } from '../../src/common/wait-until';
import { DatabaseFaults } from '../support/database-faults';
import { KilnProcess } from '../support/kiln-process';
import { KilnReplicas } from '../support/kiln-replicas';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { PrivateRedisServer } from '../support/redis';
import { parentOf } from '../support/run-processes';
import { tempDataDir } from '../support/test-config';

const OUTAGE_MS = 30_000;
/** The pace of the submit stream. */
const SUBMIT_EVERY_MS = 400;

describe('fault soak: two replicas under load through database, Redis and leader faults', () => {
  const dataDir = tempDataDir('kiln-soak-');
  const finishedLog = join(dataDir, 'finished-runs.txt');
  let database: TestDatabase;
  let redis: PrivateRedisServer;
  let faults: DatabaseFaults;
  let replicas: KilnReplicas;

  beforeAll(async () => {
    database = await createTestDatabase('kiln_soak');
    redis = await PrivateRedisServer.start({ persistent: true });
    faults = await DatabaseFaults.open(database.name);
    appendFileSync(finishedLog, '');
    replicas = await KilnReplicas.start(2, {
      KILN_DATA_DIR: dataDir,
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: redis.url,
      KILN_LOCK_TTL_MS: '3000',
      KILN_REQUEUE_AFTER_SECONDS: '10',
    });
  }, 60_000);

  afterAll(async () => {
    await faults?.bringUp();
    await faults?.close();
    await replicas?.stop();
    await redis?.stop();
    await database?.drop();
  });

  /** Submits a short run every SUBMIT_EVERY_MS until `stop` is aborted; returns accepted ids. */
  async function submitUntil(stop: AbortSignal): Promise<string[]> {
    const accepted: string[] = [];
    // Each run notes its task and attempt when it completes, outside Kiln's own records.
    const script = `sleep 1; echo "$KILN_TASK_ID $KILN_ATTEMPT" >> ${finishedLog}`;
    while (!stop.aborted) {
      const submitted = await replicas.submit('soak', script);
      if (submitted.id) accepted.push(submitted.id);
      await pause(SUBMIT_EVERY_MS);
    }
    return accepted;
  }

  async function leader(): Promise<KilnProcess | undefined> {
    for (const kiln of replicas.processes.filter((p) => p.child.exitCode === null)) {
      const metrics = await fetch(`${kiln.url}/metrics`).then(
        (r) => r.text(),
        () => '',
      );
      if (/^kiln_leader 1$/m.test(metrics)) return kiln;
    }
    return undefined;
  }

  it('ends every accepted task, runs none twice, and leaves no replica crashed or run behind', async () => {
    const stopLoad = new AbortController();
    const load = submitUntil(stopLoad.signal);
    try {
      await runFaults();
    } finally {
      stopLoad.abort();
    }
    const accepted = await load;
    const unfinished = await replicas.waitForFinal(accepted, 120_000);

    expect(accepted.length).toBeGreaterThan(0);
    expect([...unfinished]).toEqual([]);
    const statuses = await Promise.all(
      accepted.map(async (id) => (await replicas.task(id)).status),
    );
    expect(statuses.filter((status) => status !== 'succeeded')).toEqual([]);
    const completions = readFileSync(finishedLog, 'utf8').trim().split('\n').filter(Boolean);
    const taskIds = completions.map((line) => line.split(' ')[0]);
    expect(taskIds.filter((id, i) => taskIds.indexOf(id) !== i)).toEqual([]);
    expect(replicas.crashReports()).toEqual([]);
    await replicas.stop();
    expect(processesIn(dataDir)).toEqual([]);
  }, 480_000);

  /** The faults in turn; the pauses are the faults' lengths, not waits for an event. */
  async function runFaults(): Promise<void> {
    faults.repeat(100, 1);
    await pause(15_000);
    await faults.stop();
    expect({ after: 'backend kills', crashed: replicas.crashReports() }).toEqual({
      after: 'backend kills',
      crashed: [],
    });

    await faults.takeDown();
    await pause(OUTAGE_MS);
    await faults.bringUp();

    await redis.stop();
    await pause(OUTAGE_MS);
    await redis.start();
    expect({ after: 'outages', crashed: replicas.crashReports() }).toEqual({
      after: 'outages',
      crashed: [],
    });

    // Killed while it supervises a run: that run must not also finish beside its retry.
    let leading: KilnProcess | undefined;
    const found = await waitUntil(
      async () => {
        leading = await leader();
        return leading !== undefined && processesIn(dataDir, leading.pid).length > 0;
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    expect(found.satisfied).toBe(true);
    await replicas.kill(leading!, 'SIGKILL');
    await replicas.add();
    await pause(10_000); // load keeps coming while the new leader takes over
  }
});

/**
 * Pids of processes whose working directory lies in `dir` (runs start in their run
 * directory), only those descending from `ancestor` when given.
 */
function processesIn(dir: string, ancestor?: number): number[] {
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  return pids
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(dir);
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter((pid) => ancestor === undefined || descendsFrom(pid, ancestor));
}

function descendsFrom(pid: number, ancestor: number): boolean {
  for (let current: number | undefined = pid; current && current > 1; current = parentOf(current)) {
    if (current === ancestor) return true;
  }
  return false;
}
