import { testConfig } from '../../../test/support/test-config';
import { ConfigError } from '../../config/config.loader';
import { bullmqPrefix, resolveJobsDriver } from './jobs-driver';

const REDIS = { KILN_REDIS_URL: 'redis://127.0.0.1:6379' };

describe('resolveJobsDriver', () => {
  it('picks memory by default without Redis and bullmq once Redis is configured', () => {
    expect(resolveJobsDriver(testConfig())).toBe('memory');
    expect(resolveJobsDriver(testConfig(REDIS))).toBe('bullmq');
  });

  it('follows an explicit driver', () => {
    expect(resolveJobsDriver(testConfig({ ...REDIS, KILN_JOBS_DRIVER: 'memory' }))).toBe('memory');
    expect(resolveJobsDriver(testConfig({ ...REDIS, KILN_JOBS_DRIVER: 'bullmq' }))).toBe('bullmq');
  });

  it('stops boot with a config error when bullmq is asked for without Redis', () => {
    const config = testConfig({ KILN_JOBS_DRIVER: 'bullmq' });
    expect(() => resolveJobsDriver(config)).toThrow(ConfigError);
    expect(() => resolveJobsDriver(config)).toThrow(/KILN_JOBS_DRIVER.*KILN_REDIS_URL/);
  });

  it('rejects an unknown driver when the config loads', () => {
    expect(() => testConfig({ KILN_JOBS_DRIVER: 'kafka' })).toThrow(/KILN_JOBS_DRIVER/);
  });
});

describe('bullmqPrefix', () => {
  it('nests queue keys under the Redis key prefix', () => {
    expect(bullmqPrefix(testConfig({ KILN_REDIS_KEY_PREFIX: 'kiln:' }))).toBe('kiln:queue');
  });
});
