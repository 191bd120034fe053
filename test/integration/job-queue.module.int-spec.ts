// JobsModule on the bullmq driver: the boot-time eviction-policy check against a real
// Redis, and shutdown draining a running job. A private redis-server, since the test
// changes its maxmemory-policy.
import { LoggerService } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import Redis from 'ioredis';
import { waitUntil } from '../../src/common/wait-until';
import { KilnConfigModule } from '../../src/config/config.module';
import { JOB_QUEUES, JobQueues } from '../../src/infra/jobs/job-queue.port';
import { JobsModule } from '../../src/infra/jobs/jobs.module';
import { RedisModule } from '../../src/infra/redis/redis.module';
import { PrivateRedisServer } from '../support/redis';
import { testConfig } from '../support/test-config';

describe('JobsModule with the bullmq driver', () => {
  let server: PrivateRedisServer;
  const logged: string[] = [];
  const logger: LoggerService = {
    log: (message: string) => logged.push(`log ${message}`),
    warn: (message: string) => logged.push(`warn ${message}`),
    error: (message: string) => logged.push(`error ${message}`),
  };

  beforeAll(async () => {
    server = await PrivateRedisServer.start();
  });

  afterAll(() => server?.stop());

  async function boot(): Promise<TestingModule> {
    const config = testConfig({ KILN_REDIS_URL: server.url });
    const moduleRef = await Test.createTestingModule({
      imports: [KilnConfigModule.forRoot(config), RedisModule, JobsModule],
    })
      .setLogger(logger)
      .compile();
    return moduleRef.init();
  }

  async function setEvictionPolicy(policy: string): Promise<void> {
    const admin = new Redis(server.url);
    await admin.config('SET', 'maxmemory-policy', policy);
    admin.disconnect();
  }

  it('warns loudly at boot when Redis may evict keys', async () => {
    await setEvictionPolicy('allkeys-lru');
    logged.length = 0;
    const app = await boot();
    const warned = await waitUntil(
      () => logged.some((line) => line.startsWith('error') && line.includes('allkeys-lru')),
      { timeoutMs: 10_000 },
    );
    await app.close();
    expect(warned.satisfied).toBe(true);
  });

  it('boots quietly on noeviction and drains a running job at shutdown', async () => {
    await setEvictionPolicy('noeviction');
    logged.length = 0;
    const app = await boot();
    const queues = app.get<JobQueues>(JOB_QUEUES);
    expect(queues.driver).toBe('bullmq');
    let started = false;
    let finished = false;
    queues.get('launch').process(
      async () => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished = true;
      },
      { concurrency: 1 },
    );
    await queues.get('launch').add('launch', { taskId: 't1' }, { jobId: 'launch:t1:1' });
    expect((await waitUntil(() => started, { timeoutMs: 10_000 })).satisfied).toBe(true);

    await app.close();
    expect(finished).toBe(true);
    expect(logged.filter((line) => line.includes('maxmemory-policy'))).toEqual([]);
  });
});
