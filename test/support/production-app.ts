// Starts the app in production shape for integration suites: its own fresh PostgreSQL
// database and its own Redis key prefix on the shared servers, both removed on close.
import { createTestDatabase } from './postgres';
import { SHARED_REDIS_URL, createTestRedisPrefix } from './redis';
import { TestApp, TestAppOptions, startTestApp } from './test-app';

export async function startOnPostgresAndRedis(
  options: TestAppOptions,
  name = 'kiln_it',
): Promise<TestApp> {
  const database = await createTestDatabase(name);
  const redis = createTestRedisPrefix(name);
  const cleanup = async () => {
    await database.drop();
    await redis.cleanup();
  };
  try {
    const kiln = await startTestApp({
      ...options,
      env: {
        ...options.env,
        KILN_DATABASE_URL: database.url,
        KILN_REDIS_URL: SHARED_REDIS_URL,
        KILN_REDIS_KEY_PREFIX: redis.prefix,
      },
    });
    const close = kiln.close;
    kiln.close = async () => {
      await close();
      await cleanup();
    };
    return kiln;
  } catch (error) {
    await cleanup();
    throw error;
  }
}
