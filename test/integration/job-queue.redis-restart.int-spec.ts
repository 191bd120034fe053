// Fault test: a private redis-server is restarted under a running producer and worker.
// The same queue objects carry on by themselves: jobs added before, during and after the
// outage are all processed, none lost. (The private server keeps no data across a
// restart, so jobs are added once those before it are done.)
import { RedisConnectionFactory } from '../../src/infra/redis/redis-connection.factory';
import { CachedJobQueues } from '../../src/infra/jobs/cached-job-queues';
import { createJobQueues } from '../../src/infra/jobs/job-queues.factory';
import { JobQueue } from '../../src/infra/jobs/job-queue.port';
import { waitUntil } from '../../src/common/wait-until';
import { PrivateRedisServer } from '../support/redis';
import { testConfig } from '../support/test-config';

describe('bullmq queue across a Redis restart', () => {
  let server: PrivateRedisServer;
  let redis: RedisConnectionFactory;
  let queues: CachedJobQueues;
  let queue: JobQueue;
  const processed = new Set<string>();

  beforeAll(async () => {
    server = await PrivateRedisServer.start();
    const config = testConfig({ KILN_REDIS_URL: server.url, KILN_JOBS_DRIVER: 'bullmq' });
    redis = new RedisConnectionFactory(config);
    queues = createJobQueues(config, redis);
    queue = queues.get('restart');
    queue.process(
      async (job) => {
        processed.add(job.id);
      },
      { concurrency: 2 },
    );
  });

  afterAll(async () => {
    await queues?.closeAll();
    await redis?.onApplicationShutdown();
    await server?.stop();
  });

  async function addJobs(label: string, count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => `${label}-${i}`);
    await Promise.all(ids.map((jobId) => queue.add('work', { label }, { jobId })));
    return ids;
  }

  async function expectProcessed(ids: string[], timeoutMs: number): Promise<void> {
    const result = await waitUntil(() => ids.every((id) => processed.has(id)), {
      timeoutMs,
      intervalMs: 50,
    });
    expect(ids.filter((id) => !processed.has(id))).toEqual([]);
    expect(result.satisfied).toBe(true);
  }

  it('processes every job added before, during and after a restart with the same objects', async () => {
    const before = await addJobs('before', 5);
    await expectProcessed(before, 10_000);

    await server.stop();
    // Adds during the outage wait for the connection to come back instead of failing.
    let duringSettled = false;
    const during = addJobs('during', 5).finally(() => (duringSettled = true));
    // Keep Redis down through several reconnect attempts of the producer and the worker.
    const settledWhileDown = await waitUntil(() => duringSettled, { timeoutMs: 2_000 });
    expect(settledWhileDown.satisfied).toBe(false);
    await server.start();
    await expectProcessed(await during, 30_000);

    const after = await addJobs('after', 5);
    await expectProcessed(after, 30_000);
    expect(await queue.counts()).toMatchObject({ waiting: 0, active: 0, failed: 0 });
  });
});

describe('bullmq queue across a restart of a persistent Redis (AOF, as docker/ runs it)', () => {
  let server: PrivateRedisServer;
  let redis: RedisConnectionFactory;
  let queues: CachedJobQueues;
  const processed = new Set<string>();

  beforeAll(async () => {
    server = await PrivateRedisServer.start({ persistent: true });
    const config = testConfig({ KILN_REDIS_URL: server.url, KILN_JOBS_DRIVER: 'bullmq' });
    redis = new RedisConnectionFactory(config);
    queues = createJobQueues(config, redis);
  });

  afterAll(async () => {
    await queues?.closeAll();
    await redis?.onApplicationShutdown();
    await server?.stop();
  });

  it('loses no job that was waiting in Redis when it was killed', async () => {
    const queue = queues.get('persistent');
    const ids = Array.from({ length: 5 }, (_, i) => `waiting-${i}`);
    // delayed past the restart, so they are still in Redis when it dies
    await Promise.all(ids.map((jobId) => queue.add('work', {}, { jobId, delayMs: 1500 })));
    queue.process(
      async (job) => {
        processed.add(job.id);
      },
      { concurrency: 2 },
    );
    await server.stop();
    await server.start();
    const done = await waitUntil(() => ids.every((id) => processed.has(id)), {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    expect(ids.filter((id) => !processed.has(id))).toEqual([]);
    expect(done.satisfied).toBe(true);
  });
});
