// A run that ended while the process that launched it was still finishing its books
// (draining the run's output pipes, writing exit.json) when that process died. The run's
// outcome was already decided; it must be recorded, not taken for lost and run again,
// which for a long training run would cost its whole length a second time.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../../src/common/wait-until';
import { readProcessIdentity } from '../../src/modules/runtimes/local/process/process-identity';
import { KilnReplicas } from '../support/kiln-replicas';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { PrivateRedisServer } from '../support/redis';
import { tempDataDir } from '../support/test-config';

describe('a local run that ended just before the worker that launched it was killed', () => {
  const dataDir = tempDataDir('kiln-ended-run-');
  let database: TestDatabase;
  let redis: PrivateRedisServer;
  let replicas: KilnReplicas;

  beforeAll(async () => {
    database = await createTestDatabase('kiln_ended_run');
    redis = await PrivateRedisServer.start();
    // The api leads, so it is the one that reconciles the worker's runs.
    replicas = await KilnReplicas.start(1, {
      KILN_DATA_DIR: dataDir,
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: redis.url,
      KILN_LOCK_TTL_MS: '3000',
      KILN_ROLE: 'api',
    });
    await replicas.processes[0].waitForOutput(
      (text) => text.includes('Leadership acquired'),
      15_000,
    );
  }, 60_000);

  afterAll(async () => {
    for (const file of ['in-group-pid', 'detached-pid']) {
      const path = join(dataDir, file);
      if (existsSync(path)) killQuietly(Number(readFileSync(path, 'utf8')));
    }
    await replicas?.stop();
    await redis?.stop();
    await database?.drop();
  });

  it('records the run as succeeded on its first attempt instead of losing and retrying it', async () => {
    // The worker keeps draining the run's output for a minute, so on however loaded a
    // machine it is still doing so when the test kills it.
    const worker = await replicas.add({ KILN_ROLE: 'worker', KILN_LOCAL_OUTPUT_DRAIN_MS: '60000' });
    const inGroup = join(dataDir, 'in-group-pid');
    const detached = join(dataDir, 'detached-pid');
    // One helper stays in the run's process group: the worker kills it as soon as it has
    // seen the run's main process exit. The other leaves the group and holds the output
    // pipes, so the worker keeps draining them (and has not written exit.json) meanwhile.
    // The run ends only once that one has its own session: it writes its pid after
    // setsid, and a group kill before then would take it too and close the pipes.
    const { id } = await replicas.submit(
      'ends before its worker dies',
      `sleep 120 & echo $! > ${inGroup}; ` +
        `setsid sh -c 'echo $$ > ${detached}; exec sleep 120' & ` +
        `while [ ! -s ${detached} ]; do sleep 0.05; done; echo finished`,
    );
    expect(id).toBeDefined();
    const exitSeen = await waitUntil(
      async () => {
        const pid = existsSync(inGroup) ? Number(readFileSync(inGroup, 'utf8')) : 0;
        return pid > 0 && !(await isAlive(pid));
      },
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    expect(exitSeen.satisfied).toBe(true);
    await replicas.kill(worker, 'SIGKILL');
    const runDir = join(dataDir, 'runs', id!, '1');
    // The case under test: the worker died before it could write how the run ended.
    expect(existsSync(join(runDir, 'exit.json'))).toBe(false);

    const settled = await replicas.waitForStatus(id!, ['succeeded', 'failed', 'pending', 'queued']);
    expect(settled).toMatchObject({ status: 'succeeded', attempt: 1 });
    expect(await replicas.transitions(id!)).toEqual(['pending', 'queued', 'running', 'succeeded']);
  }, 90_000);
});

async function isAlive(pid: number): Promise<boolean> {
  return (await readProcessIdentity(pid)) !== undefined;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
