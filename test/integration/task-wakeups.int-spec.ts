// Two Kiln app instances sharing PostgreSQL and Redis, as replicas do: a wake asked
// for on one (a submit on an api replica, a run ended on a worker) reaches the other,
// which may be the leader, at once instead of at its next interval tick.
import { waitUntil } from '../../src/common/wait-until';
import { TaskWakeups } from '../../src/modules/tasks/orchestration/task-wakeups';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { SHARED_REDIS_URL, TestRedisPrefix, createTestRedisPrefix } from '../support/redis';
import { TestApp, startTestApp } from '../support/test-app';

describe('task wakes across replicas', () => {
  let database: TestDatabase;
  let redis: TestRedisPrefix;
  const replicas: TestApp[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('kiln_wakeups');
    redis = createTestRedisPrefix('kiln_wakeups');
    const env = {
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: SHARED_REDIS_URL,
      KILN_REDIS_KEY_PREFIX: redis.prefix,
    };
    replicas.push(await startTestApp({ env }));
    replicas.push(await startTestApp({ env }));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await database?.drop();
    await redis?.cleanup();
  });

  it('hands a dispatch and a reconcile wake from one replica to the other', async () => {
    const heard: string[] = [];
    replicas[1].app.get(TaskWakeups).register({
      dispatch: () => heard.push('dispatch'),
      reconcile: () => heard.push('reconcile'),
    });
    const sender = replicas[0].app.get(TaskWakeups);
    // the subscription is set up in the background at boot; wake until it is heard
    const delivered = await waitUntil(
      () => {
        sender.dispatch();
        sender.reconcile();
        return heard.includes('dispatch') && heard.includes('reconcile');
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(delivered.satisfied).toBe(true);
  });
});
