import { ConfigError } from '../../config/config.loader';
import { KilnConfig } from '../../config/kiln.config';
import { JobQueues } from './job-queue.port';

/** The driver the config asks for; `auto` follows whether Redis is configured. */
export function resolveJobsDriver(config: KilnConfig): JobQueues['driver'] {
  const redisConfigured = config.redis.url !== '';
  const { driver } = config.jobs;
  if (driver === 'auto') return redisConfigured ? 'bullmq' : 'memory';
  if (driver === 'bullmq' && !redisConfigured) {
    throw new ConfigError([
      'KILN_JOBS_DRIVER (jobs.driver): bullmq needs Redis; set KILN_REDIS_URL (redis.url)',
    ]);
  }
  return driver;
}

/**
 * BullMQ's key prefix under Kiln's: `<redis.keyPrefix>queue`, e.g. `kiln:queue`. It keeps
 * its old word: a new prefix would strand the jobs already in Redis at an upgrade.
 */
export function bullmqPrefix(config: KilnConfig): string {
  return `${config.redis.keyPrefix}queue`;
}
