import { Test } from '@nestjs/testing';
import { testConfig } from '../../../test/support/test-config';
import { ConfigError } from '../../config/config.loader';
import { KilnConfigModule } from '../../config/config.module';
import { waitUntil } from '../../common/wait-until';
import { RedisModule } from '../redis/redis.module';
import { JOB_QUEUES, JobQueues } from './job-queue.port';
import { JobsModule } from './jobs.module';

async function bootJobsModule(env: Record<string, string> = {}) {
  const moduleRef = await Test.createTestingModule({
    imports: [KilnConfigModule.forRoot(testConfig(env)), RedisModule, JobsModule],
  })
    .setLogger({ log() {}, error() {}, warn() {} })
    .compile();
  return moduleRef.init();
}

describe('JobsModule', () => {
  it('provides memory queues without Redis, one per name', async () => {
    const app = await bootJobsModule();
    const queues = app.get<JobQueues>(JOB_QUEUES);
    expect(queues.driver).toBe('memory');
    expect(queues.get('launch')).toBe(queues.get('launch'));
    expect(queues.get('launch')).not.toBe(queues.get('other'));
    await app.close();
  });

  it('lets running jobs finish before the application shuts down', async () => {
    const app = await bootJobsModule();
    const queue = app.get<JobQueues>(JOB_QUEUES).get('launch');
    let started = false;
    let finished = false;
    queue.process(
      async () => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 200));
        finished = true;
      },
      { concurrency: 1 },
    );
    await queue.add('launch', {}, { jobId: 'long' });
    await waitUntil(() => started, { timeoutMs: 5_000 });

    await app.close();
    expect(finished).toBe(true);
  });

  it('refuses to boot with the bullmq driver and no Redis, naming the setting', async () => {
    const boot = bootJobsModule({ KILN_JOBS_DRIVER: 'bullmq' });
    await expect(boot).rejects.toThrow(ConfigError);
    await expect(boot).rejects.toThrow(/KILN_JOBS_DRIVER/);
  });
});
