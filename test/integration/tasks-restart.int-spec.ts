import { restartMidRunScenario } from '../scenarios/task-restart.scenario';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { SHARED_REDIS_URL, createTestRedisPrefix } from '../support/redis';

describe('a Kiln restart in the middle of a run, on PostgreSQL + Redis', () => {
  let database: TestDatabase | undefined;
  const redis = createTestRedisPrefix('kiln_restart');
  restartMidRunScenario({
    env: async () => {
      database = await createTestDatabase('kiln_restart');
      return {
        KILN_DATABASE_URL: database.url,
        KILN_REDIS_URL: SHARED_REDIS_URL,
        KILN_REDIS_KEY_PREFIX: redis.prefix,
        // the killed process's lock lingers until its TTL: keep the wait short
        KILN_LOCK_TTL_MS: '3000',
      };
    },
    cleanup: async () => {
      await database?.drop();
      await redis.cleanup();
    },
  });
});
