// BullMQ loses jobs silently if Redis evicts keys under memory pressure, so Kiln checks
// the server's eviction policy at boot and says so loudly when it is not `noeviction`.
import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

export type EvictionPolicyCheck = 'noeviction' | 'evicting' | 'unknown';

export async function checkRedisEvictionPolicy(
  redis: Pick<Redis, 'config'>,
  logger: Pick<Logger, 'log' | 'warn' | 'error'>,
): Promise<EvictionPolicyCheck> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    policy = reply[1];
  } catch (error) {
    logger.warn(
      `Could not check Redis maxmemory-policy (${(error as Error).message}); the job queue ` +
        'needs maxmemory-policy noeviction, or Redis may drop queued jobs under memory pressure',
    );
    return 'unknown';
  }
  if (policy === 'noeviction') return 'noeviction';
  if (policy === undefined) {
    logger.warn('Redis did not report maxmemory-policy; the job queue needs noeviction');
    return 'unknown';
  }
  logger.error(
    `!!! Redis maxmemory-policy is "${policy}", not "noeviction": under memory pressure ` +
      'Redis will evict queue keys and jobs will be lost. Set maxmemory-policy noeviction. !!!',
  );
  return 'evicting';
}
