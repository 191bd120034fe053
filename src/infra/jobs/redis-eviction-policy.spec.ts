import { checkRedisEvictionPolicy } from './redis-eviction-policy';

function fakeLogger() {
  return { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
}

function redisReplying(reply: () => Promise<unknown>) {
  return { config: jest.fn(reply) } as unknown as Parameters<typeof checkRedisEvictionPolicy>[0];
}

describe('checkRedisEvictionPolicy', () => {
  it('is quiet when the policy is noeviction', async () => {
    const logger = fakeLogger();
    const redis = redisReplying(async () => ['maxmemory-policy', 'noeviction']);
    await expect(checkRedisEvictionPolicy(redis, logger)).resolves.toBe('noeviction');
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('warns loudly, naming the policy, when Redis may evict keys', async () => {
    const logger = fakeLogger();
    const redis = redisReplying(async () => ['maxmemory-policy', 'allkeys-lru']);
    await expect(checkRedisEvictionPolicy(redis, logger)).resolves.toBe('evicting');
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('"allkeys-lru"'));
  });

  it('says the policy could not be checked when CONFIG is refused', async () => {
    const logger = fakeLogger();
    const redis = redisReplying(async () => {
      throw new Error("ERR unknown command 'config'");
    });
    await expect(checkRedisEvictionPolicy(redis, logger)).resolves.toBe('unknown');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Could not check Redis maxmemory-policy'),
    );
  });
});
