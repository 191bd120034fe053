// docker/compose.yaml's topology: an `api` process and a `worker` process sharing one
// data directory, with the local executor. The worker launches every run; the api holds
// the leader lock here, so its reconciler answers for runs that are another process's
// children, its log stream follows a log another process writes, and its cancel must
// reach a process it cannot signal itself (in compose, another pid namespace).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unwrap, type KilnClient } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { readProcessIdentity } from '../../src/modules/runtimes/local/process/process-identity';
import { clientAs } from '../support/kiln-clients';
import { KilnProcess } from '../support/kiln-process';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { createTestRedisPrefix, SHARED_REDIS_URL } from '../support/redis';
import { openSse } from '../support/sse-client';
import { tempDataDir } from '../support/test-config';

const ADMIN_PASSWORD = 'split processes password 1';

describe('an api process and a worker process sharing one data dir (PostgreSQL + Redis)', () => {
  const dataDir = tempDataDir('kiln-split-');
  const redis = createTestRedisPrefix('kiln_split');
  let database: TestDatabase;
  let env: Record<string, string>;
  let apiProcess: KilnProcess;
  let worker: KilnProcess;
  let client: KilnClient;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase('kiln_split');
    env = {
      KILN_DATA_DIR: dataDir,
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: SHARED_REDIS_URL,
      KILN_REDIS_KEY_PREFIX: redis.prefix,
      KILN_LOCK_TTL_MS: '3000',
      KILN_ADMIN_USERNAME: 'root',
      KILN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    };
    // The api starts first and takes the leader lock, so it reconciles the worker's runs.
    apiProcess = await KilnProcess.start({ env: { ...env, KILN_ROLE: 'api' } });
    await apiProcess.waitForOutput((text) => text.includes('Leadership acquired'), 15_000);
    worker = await KilnProcess.start({ env: { ...env, KILN_ROLE: 'worker' } });
    client = clientAs(apiProcess.url);
    token = (await client.login('root', ADMIN_PASSWORD)).accessToken;
  }, 60_000);

  afterAll(async () => {
    await worker?.stop('SIGTERM');
    await apiProcess?.stop('SIGTERM');
    await database?.drop();
    await redis.cleanup();
  });

  /** Submits `script` run by /bin/sh, with no retries, and returns the task id. */
  async function submit(name: string, script: string): Promise<string> {
    const command = ['/bin/sh', '-c', script];
    const submitted = await client.api.POST('/api/v1/tasks', {
      body: { name, command, maxRetries: 0 },
    });
    expect(submitted.response.status).toBe(201);
    return submitted.data!.id;
  }

  const read = (id: string) =>
    unwrap(client.api.GET('/api/v1/tasks/{id}', { params: { path: { id } } }));

  async function waitForTask(id: string, statuses: string[], timeoutMs = 30_000) {
    let task = await read(id);
    await waitUntil(async () => statuses.includes((task = await read(id)).status), {
      timeoutMs,
      intervalMs: 100,
    });
    return task;
  }

  async function transitions(id: string): Promise<string[]> {
    const events = await unwrap(
      client.api.GET('/api/v1/tasks/{id}/events', { params: { path: { id } } }),
    );
    return events.map((event) => event.to);
  }

  const logOf = async (id: string) =>
    (
      await client.api.GET('/api/v1/tasks/{id}/logs', {
        params: { path: { id } },
        parseAs: 'text',
      })
    ).data ?? '';

  it('runs a task the worker launched to success, its log followed through the api', async () => {
    const id = await submit('followed from the api', 'echo one; sleep 2; echo two');
    await waitForTask(id, ['running']);
    const stream = await openSse(`${apiProcess.url}/api/v1/tasks/${id}/logs/stream`, token);
    await stream.ended;
    const lines = stream.events.filter((e) => e.event === 'message').map((e) => e.data);
    expect(lines).toEqual(['one', 'two']);
    const end = stream.events.find((e) => e.event === 'end');
    expect(JSON.parse(end!.data)).toMatchObject({ status: 'succeeded', attempt: 1 });
    expect(await transitions(id)).toEqual(['pending', 'queued', 'running', 'succeeded']);
  }, 40_000);

  it('cancels a running task from the api: the worker stops its process', async () => {
    const marker = join(dataDir, 'cancelled-run-pid');
    const id = await submit('cancelled from the api', `echo $$ > ${marker}; exec sleep 60`);
    await waitForTask(id, ['running']);
    expect((await waitUntil(() => existsSync(marker), { timeoutMs: 10_000 })).satisfied).toBe(true);
    const pid = Number(readFileSync(marker, 'utf8'));
    const cancelled = await client.api.POST('/api/v1/tasks/{id}/cancel', {
      params: { path: { id } },
    });
    expect(cancelled.response.status).toBe(200);
    const task = await waitForTask(id, ['cancelled']);
    expect(task.status).toBe('cancelled');
    await expect(readProcessIdentity(pid)).resolves.toBeUndefined();
    expect(await transitions(id)).toEqual([
      'pending',
      'queued',
      'running',
      'cancelling',
      'cancelled',
    ]);
  }, 40_000);

  it('ends the run of a SIGKILLed worker as lost, stops it, and retries it on a new worker', async () => {
    const marker = join(dataDir, 'orphaned-run-pid');
    const id = await submit(
      'outlives its worker',
      `[ -f ${marker} ] || echo $$ > ${marker}; echo started; sleep 3`,
    );
    await waitForTask(id, ['running']);
    const recorded = await waitUntil(
      async () => existsSync(marker) && (await logOf(id)).includes('started'),
      { timeoutMs: 10_000 },
    );
    expect(recorded.satisfied).toBe(true);
    const orphanPid = Number(readFileSync(marker, 'utf8'));

    await worker.stop('SIGKILL');
    // no worker left to run the retry: it waits
    const retry = await waitForTask(id, ['pending', 'queued'], 15_000);
    expect(['pending', 'queued']).toContain(retry.status);
    expect(await transitions(id)).toContain('lost');
    // stopped before the retry: dead, or a zombie the machine's init has yet to reap
    await expect(readProcessIdentity(orphanPid)).resolves.toBeUndefined();

    worker = await KilnProcess.start({ env: { ...env, KILN_ROLE: 'worker' } });
    const task = await waitForTask(id, ['succeeded', 'failed']);
    expect(task).toMatchObject({ status: 'succeeded', attempt: 2, retriesUsed: 0 });
    expect(await transitions(id)).toEqual([
      'pending',
      'queued',
      'running',
      'lost',
      'pending',
      'queued',
      'running',
      'succeeded',
    ]);
  }, 60_000);
});
