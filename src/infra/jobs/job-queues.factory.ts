import { KilnConfig } from '../../config/kiln.config';
import { RedisConnectionFactory } from '../redis/redis-connection.factory';
import { BullmqJobQueue } from './bullmq-job-queue';
import { CachedJobQueues } from './cached-job-queues';
import { MemoryJobQueue } from './memory-job-queue';
import { bullmqPrefix, resolveJobsDriver } from './jobs-driver';
import { jobQueueSettingsFrom } from './job-queue-settings';

/** The JOB_QUEUES provider: queues of the driver the config chooses. */
export function createJobQueues(
  config: KilnConfig,
  redis: RedisConnectionFactory,
): CachedJobQueues {
  const settings = jobQueueSettingsFrom(config.jobs);
  if (resolveJobsDriver(config) === 'memory') {
    return new CachedJobQueues('memory', (name) => new MemoryJobQueue(name, settings));
  }
  const connect = redis.create.bind(redis);
  const prefix = bullmqPrefix(config);
  return new CachedJobQueues(
    'bullmq',
    (name) => new BullmqJobQueue(name, connect, { ...settings, prefix }),
  );
}
