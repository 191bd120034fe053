// Wakes over real Redis pub/sub between two replicas: each hears the other's wake once,
// and a replica's own wake calls its listeners once, not again when Redis echoes it back.
import Redis from 'ioredis';
import { RedisWakeups } from '../../src/infra/wakeups/redis-wakeups';
import { SHARED_REDIS_URL, TestRedisPrefix, createTestRedisPrefix } from '../support/redis';

describe('wakes over Redis between replicas', () => {
  let redis: TestRedisPrefix;
  const connections: Redis[] = [];
  const replicas: RedisWakeups[] = [];

  function replica(channel: string): RedisWakeups {
    const [publisher, subscriber] = [new Redis(SHARED_REDIS_URL), new Redis(SHARED_REDIS_URL)];
    connections.push(publisher, subscriber);
    const wakeups = new RedisWakeups(publisher, subscriber, channel);
    replicas.push(wakeups);
    return wakeups;
  }

  /** Resolves the next time `topic` is heard on `wakeups`. */
  function heard(wakeups: RedisWakeups, topic: string, calls: string[]): Promise<void> {
    return new Promise((resolve) => wakeups.on(topic, () => (calls.push(topic), resolve())));
  }

  beforeAll(() => {
    redis = createTestRedisPrefix('kiln_wakeups_redis');
  });

  afterAll(async () => {
    for (const wakeups of replicas) wakeups.stop();
    await Promise.all(connections.map((connection) => connection.quit().catch(() => undefined)));
    await redis.cleanup();
  });

  it("calls a replica's listeners once for its own wake, and the other's once", async () => {
    const channel = `${redis.prefix}wakeups`;
    const [a, b] = [replica(channel), replica(channel)];
    const heardOnA: string[] = [];
    const heardOnB: string[] = [];
    const aHeardChanged = heard(a, 'changed', heardOnA);
    const bHeardChanged = heard(b, 'changed', heardOnB);
    const aHeardReply = heard(a, 'reply', heardOnA);
    b.on('changed', () => b.wake('reply'));
    a.start();
    b.start();
    await Promise.all([
      connections[1].call('PING'), // a subscriber connection is up once it answers;
      connections[3].call('PING'), // SUBSCRIBE went first on each
    ]);

    a.wake('changed');
    await Promise.all([aHeardChanged, bHeardChanged]);
    // B answers once it hears A's wake, and Redis delivers in publish order: by the time
    // A hears the answer, the echo of its own wake has reached it too, if it ever will.
    await aHeardReply;
    expect(heardOnA).toEqual(['changed', 'reply']);
    expect(heardOnB).toEqual(['changed']);
  });
});
