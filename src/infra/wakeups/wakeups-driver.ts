import { ConfigError } from '../../config/config.loader';
import { KilnConfig } from '../../config/kiln.config';
import { Wakeups } from './wakeups.port';

/** The driver the config asks for; `auto` follows whether Redis is configured. */
export function resolveWakeupsDriver(config: KilnConfig): Wakeups['driver'] {
  const redisConfigured = config.redis.url !== '';
  const { driver } = config.wakeups;
  if (driver === 'auto') return redisConfigured ? 'redis' : 'memory';
  if (driver === 'redis' && !redisConfigured) {
    throw new ConfigError([
      'KILN_WAKEUPS_DRIVER (wakeups.driver): redis needs Redis; set KILN_REDIS_URL (redis.url)',
    ]);
  }
  return driver;
}
