import { testConfig } from '../../../test/support/test-config';
import { ConfigError } from '../../config/config.loader';
import { resolveWakeupsDriver } from './wakeups-driver';

const REDIS = { KILN_REDIS_URL: 'redis://127.0.0.1:6379' };

describe('resolveWakeupsDriver', () => {
  it('picks memory by default without Redis and redis once Redis is configured', () => {
    expect(resolveWakeupsDriver(testConfig())).toBe('memory');
    expect(resolveWakeupsDriver(testConfig(REDIS))).toBe('redis');
  });

  it('follows an explicit driver', () => {
    expect(resolveWakeupsDriver(testConfig({ ...REDIS, KILN_WAKEUPS_DRIVER: 'memory' }))).toBe(
      'memory',
    );
  });

  it('stops boot with a config error when redis is asked for without Redis', () => {
    const config = testConfig({ KILN_WAKEUPS_DRIVER: 'redis' });
    expect(() => resolveWakeupsDriver(config)).toThrow(ConfigError);
    expect(() => resolveWakeupsDriver(config)).toThrow(/KILN_WAKEUPS_DRIVER.*KILN_REDIS_URL/);
  });

  it('rejects an unknown driver when the config loads', () => {
    expect(() => testConfig({ KILN_WAKEUPS_DRIVER: 'kafka' })).toThrow(/KILN_WAKEUPS_DRIVER/);
  });
});
