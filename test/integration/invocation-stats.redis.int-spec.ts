// The InvocationStats contract on the redis driver, against the shared Redis under a key
// prefix of its own that is deleted afterwards; then what only that driver does: expiry,
// the last write at shutdown, and an unreachable Redis.
import Redis from 'ioredis';
import { RedisConnectionFactory } from '../../src/infra/redis/redis-connection.factory';
import {
  createInvocationStats,
  InvocationStatsLifecycle,
} from '../../src/modules/services/invoke/stats/invocation-stats.providers';
import { RedisInvocationStats } from '../../src/modules/services/invoke/stats/redis-invocation-stats';
import { WINDOW_SECONDS } from '../../src/modules/services/invoke/stats/invocation-window';
import { describeInvocationStatsContract } from '../contract/invocation-stats.contract';
import { createTestRedisPrefix, freePort, SHARED_REDIS_URL } from '../support/redis';
import { testConfig } from '../support/test-config';

const keys = createTestRedisPrefix('kiln-invocation-stats');
const config = testConfig({ KILN_REDIS_URL: SHARED_REDIS_URL, KILN_REDIS_KEY_PREFIX: keys.prefix });

afterAll(() => keys.cleanup());

/** Kiln replicas of one deployment: each its own connection and its own flush loop. */
function deployment() {
  const connections = new RedisConnectionFactory(config);
  const lifecycles: InvocationStatsLifecycle[] = [];
  return {
    replica() {
      const stats = createInvocationStats(config, connections.create('invocation-stats'));
      const lifecycle = new InvocationStatsLifecycle(stats);
      lifecycle.onModuleInit();
      lifecycles.push(lifecycle);
      return stats;
    },
    async close() {
      await Promise.all(lifecycles.map((lifecycle) => lifecycle.beforeApplicationShutdown()));
      await connections.onApplicationShutdown();
    },
  };
}

describeInvocationStatsContract('redis', deployment);

describe('RedisInvocationStats', () => {
  const now = Date.now();
  const invocation = { status: 200, latencyMs: 12, retried: false, at: now };

  it('is the driver chosen when Redis is configured', async () => {
    const kiln = deployment();
    expect(kiln.replica().driver).toBe('redis');
    await kiln.close();
  });

  it('writes out what it holds when Kiln shuts down, for the replicas still running', async () => {
    const [stopping, staying] = [deployment(), deployment()];
    stopping.replica().record('shutdown-service', invocation);
    await stopping.close();
    await expect(staying.replica().summary('shutdown-service', now)).resolves.toMatchObject({
      total: 1,
    });
    await staying.close();
  });

  it('lets a bucket expire from Redis once it has left the window', async () => {
    const kiln = deployment();
    const stats = kiln.replica() as RedisInvocationStats;
    stats.record('expiring-service', invocation);
    await stats.flush();
    const redis = new Redis(SHARED_REDIS_URL);
    const [bucket] = await redis.keys(`${keys.prefix}invocations:expiring-service:*`);
    const ttl = await redis.ttl(bucket);
    redis.disconnect();
    expect(ttl).toBeGreaterThan(WINDOW_SECONDS - 20);
    expect(ttl).toBeLessThanOrEqual(WINDOW_SECONDS + 60);
    await kiln.close();
  });

  it('never fails an invocation when Redis is unreachable, and a summary gives up', async () => {
    const unreachable = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      disconnectTimeout: 0,
    });
    const stats = new RedisInvocationStats(unreachable, 'nowhere:');
    expect(() => stats.record('down-service', invocation)).not.toThrow();
    await expect(stats.flush()).resolves.toBeUndefined();
    await expect(stats.summary('down-service', now)).rejects.toThrow();
    unreachable.disconnect();
  });
});
