// A worker process killed with SIGKILL mid-job: its job comes back and another worker
// process runs it (BullMQ stalled-job recovery), with real processes and the shared Redis.
import { resolve } from 'node:path';
import { waitUntil } from '../../src/common/wait-until';
import { RedisConnectionFactory } from '../../src/infra/redis/redis-connection.factory';
import { CachedJobQueues } from '../../src/infra/jobs/cached-job-queues';
import { createJobQueues } from '../../src/infra/jobs/job-queues.factory';
import { KilnProcess } from '../support/kiln-process';
import { createTestRedisPrefix, SHARED_REDIS_URL } from '../support/redis';
import { testConfig } from '../support/test-config';

const WORKER_ENTRY = resolve(__dirname, '..', 'support', 'entry', 'queue-worker.js');

describe('bullmq worker killed mid-job', () => {
  const keys = createTestRedisPrefix('kiln-queue-stalled');
  const env = {
    KILN_REDIS_URL: SHARED_REDIS_URL,
    KILN_REDIS_KEY_PREFIX: keys.prefix,
    KILN_JOBS_DRIVER: 'bullmq',
    // Short locks and checks so a dead worker's job comes back within a few seconds.
    KILN_JOBS_STALLED_INTERVAL_MS: '500',
    QUEUE_NAME: 'launch',
  };
  let redis: RedisConnectionFactory;
  let producer: CachedJobQueues;
  const workers: KilnProcess[] = [];

  function startWorker(jobMs: number): Promise<KilnProcess> {
    return KilnProcess.start({
      entry: WORKER_ENTRY,
      waitForReady: false,
      env: { ...env, JOB_MS: String(jobMs) },
    }).then((worker) => (workers.push(worker), worker));
  }

  beforeAll(() => {
    const config = testConfig(env);
    redis = new RedisConnectionFactory(config);
    producer = createJobQueues(config, redis);
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
    await producer?.closeAll();
    await redis?.onApplicationShutdown();
    await keys.cleanup();
  });

  it('hands the job of a SIGKILLed worker to another worker process', async () => {
    const doomed = await startWorker(60_000);
    await doomed.waitForOutput((text) => text.includes('processing launch'), 15_000);
    await producer.get('launch').add('launch', { taskId: 't1' }, { jobId: 'launch:t1:1' });
    await doomed.waitForOutput((text) => text.includes('started launch:t1:1'), 15_000);

    const survivor = await startWorker(50);
    await survivor.waitForOutput((text) => text.includes('processing launch'), 15_000);
    expect(await doomed.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

    await survivor.waitForOutput((text) => text.includes('completed launch:t1:1'), 20_000);
    expect(survivor.text).toContain(`started launch:t1:1 1 ${survivor.pid}`);
    expect(doomed.text).not.toContain('completed launch:t1:1');
    // The worker prints `completed` inside the processor; BullMQ records the job as
    // completed only after the processor returns, so wait for that rather than race it.
    const settled = await waitUntil(
      async () => (await producer.get('launch').counts()).completed === 1,
      { timeoutMs: 5_000, intervalMs: 50 },
    );
    expect(settled.satisfied).toBe(true);
    const counts = await producer.get('launch').counts();
    expect(counts).toMatchObject({ completed: 1, failed: 0, active: 0, waiting: 0 });
  });
});
