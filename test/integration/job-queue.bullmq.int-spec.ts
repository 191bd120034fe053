// The JobQueue contract on the bullmq driver, against the shared Redis under a key prefix
// of its own that is deleted afterwards.
import { RedisConnectionFactory } from '../../src/infra/redis/redis-connection.factory';
import { createJobQueues } from '../../src/infra/jobs/job-queues.factory';
import { describeJobQueueContract } from '../contract/job-queue.contract';
import { createTestRedisPrefix, SHARED_REDIS_URL } from '../support/redis';
import { testConfig } from '../support/test-config';

const keys = createTestRedisPrefix('kiln-queue-contract');

afterAll(() => keys.cleanup());

describeJobQueueContract('bullmq', () => {
  const config = testConfig({
    KILN_REDIS_URL: SHARED_REDIS_URL,
    KILN_REDIS_KEY_PREFIX: keys.prefix,
    KILN_JOBS_DRIVER: 'bullmq',
  });
  const redis = new RedisConnectionFactory(config);
  const queues = createJobQueues(config, redis);
  expect(queues.driver).toBe('bullmq');
  return {
    get: (name) => queues.get(name),
    close: async () => {
      await queues.closeAll();
      await redis.onApplicationShutdown();
    },
  };
});
