import { waitUntil } from '../../src/common/wait-until';
import { administrationScenarios } from '../scenarios/admin/administration.scenarios';
import { FAST_WEBHOOKS, webhookScenarios } from '../scenarios/admin/webhooks.scenarios';
import { FINAL, queuesConfigFile, shell } from '../scenarios/tasks/task-world';
import { ApiClient } from '../support/api-client';
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
  const apis: ApiClient[] = [];
  let admin = '';
  let alice = '';
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
    apis.push(...replicas.map((replica) => new ApiClient(replica.url)));
    admin = (await apis[1].post('/auth/login', ADMIN)).body.accessToken;
    const password = 'a long enough password';
    const created = await apis[1].post(
      '/admin/users',
      { username: 'alice', password, roles: ['member'] },
      admin,
    );
    aliceId = created.body.id;
    alice = (await apis[1].post('/auth/login', { username: 'alice', password })).body.accessToken;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await database?.drop();
    await redis?.cleanup();
  });

  async function statusOf(id: string): Promise<string> {
    return (await apis[0].get(`/tasks/${id}`, admin)).body.status;
  }

  async function reaches(id: string, statuses: string[]): Promise<void> {
    const result = await waitUntil(async () => statuses.includes(await statusOf(id)), {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    expect({ id, reached: result.satisfied }).toEqual({ id, reached: true });
  }

  it('shows both processes in the system view, exactly one of them leading', async () => {
    const system = await apis[1].get('/admin/system', admin);
    expect(system.body.processes).toHaveLength(2);
    expect(system.body.processes.filter((p: { leader: boolean }) => p.leader)).toHaveLength(1);
    expect(system.body.redis.state).toBe('up');
    expect(system.body.mode).toEqual({
      database: 'postgres',
      jobQueue: 'bullmq',
      wakeups: 'redis',
    });
  });

  it('a pause made on one replica stops dispatch on the leader; resume restarts it', async () => {
    expect((await apis[1].post('/admin/queues/tiny/pause', {}, admin)).status).toBe(200);
    // the other replica's copy follows at once (a wake over Redis), not at a restart
    const seen = await waitUntil(
      async () => (await apis[0].get('/admin/queues/tiny', admin)).body.paused === true,
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    expect(seen.satisfied).toBe(true);
    const task = await apis[0].post(
      '/tasks',
      { name: 'paused', queue: 'tiny', ...shell('true') },
      alice,
    );
    expect(task.status).toBe(201);
    const other = await apis[0].post('/tasks', { name: 'not paused', ...shell('true') }, alice);
    await reaches(other.body.id, FINAL);
    expect(await statusOf(task.body.id)).toBe('pending');
    expect((await apis[1].post('/admin/queues/tiny/resume', {}, admin)).status).toBe(200);
    await reaches(task.body.id, ['succeeded']);
  });

  it('a quota raised on one replica starts a waiting task at the leader’s next pass, and the new limit still holds the next back', async () => {
    await apis[1].patch(`/admin/quotas/${aliceId}`, { maxRunning: 1 }, admin);
    const first = await apis[0].post('/tasks', { name: 'one', ...shell('sleep 60') }, alice);
    await reaches(first.body.id, ['running']);
    const second = await apis[0].post('/tasks', { name: 'two', ...shell('sleep 60') }, alice);
    const third = await apis[0].post('/tasks', { name: 'three', ...shell('sleep 60') }, alice);
    const waiting = (await apis[0].get(`/tasks/${second.body.id}`, admin)).body.waiting.reasons;
    expect(waiting).toEqual(expect.arrayContaining([expect.stringContaining("owner's quota")]));
    await apis[1].patch(`/admin/quotas/${aliceId}`, { maxRunning: 2 }, admin);
    await reaches(second.body.id, ['running']);
    expect(await statusOf(third.body.id)).toBe('pending');
    for (const task of [first, second, third]) {
      await apis[0].post(`/tasks/${task.body.id}/cancel`, {}, alice);
      await reaches(task.body.id, FINAL);
    }
  });

  it('a delivery waiting for its retry survives a restart of every replica: BullMQ keeps its job', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const webhook = (await apis[1].post('/webhooks', { url: receiver.url }, admin)).body;
      receiver.answerWith(500);
      const ping = (await apis[1].post(`/webhooks/${webhook.id}/ping`, {}, admin)).body;
      await receiver.received(1);
      const stopped = replicas.splice(0);
      await Promise.all(stopped.map((replica) => replica.close()));
      replicas.push(await startTestApp({ env }));
      const api = new ApiClient(replicas[0].url);
      const token = (await api.post('/auth/login', ADMIN)).body.accessToken as string;

      // well before the outbox would send a stale delivery again (2 × (3 s + 10 s))
      const [, retried] = await receiver.received(2, 10_000);
      expect(retried.json.id).toBe(ping.id);
      const delivered = await waitUntil(
        async () => {
          const log = await api.get(`/webhooks/${webhook.id}/deliveries`, token);
          return log.body.items[0]?.status === 'succeeded';
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
