import { unwrap, type KilnClient, type TaskSubmission } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { administrationScenarios } from '../scenarios/admin/administration.scenarios';
import { FAST_WEBHOOKS, webhookScenarios } from '../scenarios/admin/webhooks.scenarios';
import { FINAL, queuesConfigFile, shell } from '../scenarios/tasks/task-world';
import { clientAs, loggedInAs } from '../support/kiln-clients';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { createTestRedisPrefix, SHARED_REDIS_URL, TestRedisPrefix } from '../support/redis';
import { startOnPostgresAndRedis } from '../support/production-app';
import { startTestApp, TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';

describe('administration of queues, quotas and the audit log on PostgreSQL + Redis', () => {
  administrationScenarios((options) => startOnPostgresAndRedis(options, 'kiln_admin'));
});

describe('webhooks on PostgreSQL + Redis (BullMQ job queue)', () => {
  webhookScenarios((options) => startOnPostgresAndRedis(options, 'kiln_webhooks'));
});

describe('admin changes reach every replica without a restart', () => {
  const ADMIN = { username: 'root', password: 'replica suite password 1' };
  let database: TestDatabase;
  let redis: TestRedisPrefix;
  const replicas: TestApp[] = [];
  /** The admin's way into each replica; the first one leads. */
  const admins: Array<KilnClient['api']> = [];
  /** Alice's way into the leading replica. */
  let alice: KilnClient['api'];
  let aliceId = '';
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase('kiln_admin_replicas');
    redis = createTestRedisPrefix('kiln_admin_replicas');
    env = {
      ...FAST_WEBHOOKS,
      // a retry waits long enough (2.25 to 3 s) for the restart of every replica
      KILN_WEBHOOK_BACKOFF_MS: '3000',
      KILN_WEBHOOK_BACKOFF_MAX_MS: '3000',
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: SHARED_REDIS_URL,
      KILN_REDIS_KEY_PREFIX: redis.prefix,
      KILN_ADMIN_USERNAME: ADMIN.username,
      KILN_ADMIN_PASSWORD: ADMIN.password,
      KILN_CONFIG_FILE: queuesConfigFile(),
      KILN_TASK_STOP_GRACE_MS: '2000',
    };
    // the first replica takes the leader lock; changes are made on the second
    replicas.push(await startTestApp({ env }));
    replicas.push(await startTestApp({ env }));
    const { token: admin } = await loggedInAs(replicas[1].url, ADMIN.username, ADMIN.password);
    admins.push(...replicas.map((replica) => clientAs(replica.url, admin).api));
    const password = 'a long enough password';
    const created = await unwrap(
      admins[1].POST('/api/v1/admin/users', {
        body: { username: 'alice', password, roles: ['member'] },
      }),
    );
    aliceId = created.id;
    const { token } = await loggedInAs(replicas[1].url, 'alice', password);
    alice = clientAs(replicas[0].url, token).api;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await database?.drop();
    await redis?.cleanup();
  });

  const ofTask = (id: string) => ({ params: { path: { id } } });
  const ofTiny = { params: { path: { name: 'tiny' } } };
  const submit = async (body: TaskSubmission) =>
    (await unwrap(alice.POST('/api/v1/tasks', { body }))).id;
  const readTask = (id: string) => unwrap(admins[0].GET('/api/v1/tasks/{id}', ofTask(id)));
  const setQuota = (maxRunning: number) =>
    unwrap(
      admins[1].PATCH('/api/v1/admin/quotas/{userId}', {
        params: { path: { userId: aliceId } },
        body: { maxRunning },
      }),
    );

  async function statusOf(id: string): Promise<string> {
    return (await readTask(id)).status;
  }

  async function reaches(id: string, statuses: string[]): Promise<void> {
    const result = await waitUntil(async () => statuses.includes(await statusOf(id)), {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    expect({ id, reached: result.satisfied }).toEqual({ id, reached: true });
  }

  it('shows both processes in the system view, exactly one of them leading', async () => {
    const system = await unwrap(admins[1].GET('/api/v1/admin/system'));
    expect(system.processes).toHaveLength(2);
    expect(system.processes.filter((process) => process.leader)).toHaveLength(1);
    expect(system.redis.state).toBe('up');
    expect(system.mode).toEqual({
      database: 'postgres',
      jobQueue: 'bullmq',
      wakeups: 'redis',
    });
  });

  it('a pause made on one replica stops dispatch on the leader; resume restarts it', async () => {
    const paused = await admins[1].POST('/api/v1/admin/queues/{name}/pause', ofTiny);
    expect(paused.response.status).toBe(200);
    // the other replica's copy follows at once (a wake over Redis), not at a restart
    const seen = await waitUntil(
      async () => (await unwrap(admins[0].GET('/api/v1/admin/queues/{name}', ofTiny))).paused,
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    expect(seen.satisfied).toBe(true);
    const task = await submit({ name: 'paused', queue: 'tiny', ...shell('true') });
    const other = await submit({ name: 'not paused', ...shell('true') });
    await reaches(other, FINAL);
    expect(await statusOf(task)).toBe('pending');
    const resumed = await admins[1].POST('/api/v1/admin/queues/{name}/resume', ofTiny);
    expect(resumed.response.status).toBe(200);
    await reaches(task, ['succeeded']);
  });

  it('a quota raised on one replica starts a waiting task at the leader’s next pass, and the new limit still holds the next back', async () => {
    await setQuota(1);
    const first = await submit({ name: 'one', ...shell('sleep 60') });
    await reaches(first, ['running']);
    const second = await submit({ name: 'two', ...shell('sleep 60') });
    const third = await submit({ name: 'three', ...shell('sleep 60') });
    const waiting = (await readTask(second)).waiting?.reasons;
    expect(waiting).toEqual(expect.arrayContaining([expect.stringContaining("owner's quota")]));
    await setQuota(2);
    await reaches(second, ['running']);
    expect(await statusOf(third)).toBe('pending');
    for (const task of [first, second, third]) {
      await unwrap(alice.POST('/api/v1/tasks/{id}/cancel', ofTask(task)));
      await reaches(task, FINAL);
    }
  });

  it('a delivery waiting for its retry survives a restart of every replica: BullMQ keeps its job', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const webhook = await unwrap(
        admins[1].POST('/api/v1/webhooks', { body: { url: receiver.url } }),
      );
      const ofWebhook = { params: { path: { id: webhook.id } } };
      receiver.answerWith(500);
      const ping = await unwrap(admins[1].POST('/api/v1/webhooks/{id}/ping', ofWebhook));
      await receiver.received(1);
      const stopped = replicas.splice(0);
      await Promise.all(stopped.map((replica) => replica.close()));
      replicas.push(await startTestApp({ env }));
      const { client } = await loggedInAs(replicas[0].url, ADMIN.username, ADMIN.password);

      // well before the outbox would send a stale delivery again (2 × (3 s + 10 s))
      const [, retried] = await receiver.received(2, 10_000);
      expect(retried.json.id).toBe(ping.id);
      const delivered = await waitUntil(
        async () => {
          const log = await unwrap(client.api.GET('/api/v1/webhooks/{id}/deliveries', ofWebhook));
          return log.items[0]?.status === 'succeeded';
        },
        { timeoutMs: 10_000, intervalMs: 50 },
      );
      expect(delivered.satisfied).toBe(true);
      expect(receiver.requests).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });
});
