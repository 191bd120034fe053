// Service events on the global event stream with two Kiln replicas on PostgreSQL +
// Redis: a stream open on one replica sees the status changes the other replica's
// reconciler writes, and a client dropped across a service event resumes, on either
// replica, with every task and service event it missed, once. Scales sent to both
// replicas at once for the last of an owner's quota admit only what fits.
import { join, resolve } from 'node:path';
import { waitUntil } from '../../src/common/wait-until';
import { unwrap, type KilnClient } from '@kiln/client';
import { clientAs, loggedInAs } from '../support/kiln-clients';
import type { KilnProcess } from '../support/kiln-process';
import { KilnReplicas, REPLICAS_ADMIN } from '../support/kiln-replicas';
import { leaderGauge } from '../support/leader-probe';
import { processesOfService } from '../support/run-processes';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { createTestRedisPrefix, SHARED_REDIS_URL, TestRedisPrefix } from '../support/redis';
import { openSse, SseEvent, SseReader } from '../support/sse-client';
import { tempDataDir } from '../support/test-config';

const EXAMPLES = resolve(__dirname, '../../examples');

describe('service events on GET /api/v1/events across two Kiln replicas (PostgreSQL + Redis)', () => {
  let database: TestDatabase;
  let redis: TestRedisPrefix;
  let replicas: KilnReplicas | undefined;
  let leader: KilnProcess;
  let follower: KilnProcess;
  let token: string;
  let serviceId = '';
  const open: SseReader[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('kiln_service_events');
    redis = createTestRedisPrefix('kiln_service_events');
    replicas = await KilnReplicas.start(2, {
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: SHARED_REDIS_URL,
      KILN_REDIS_KEY_PREFIX: redis.prefix,
      KILN_LOCAL_RUNS_DIR: tempDataDir('kiln-shared-runs-'),
    });
    const roles = await Promise.all(replicas.processes.map((kiln) => leaderGauge(kiln.url)));
    leader = replicas.processes[roles.indexOf(1)];
    follower = replicas.processes[roles.indexOf(0)];
    expect(leader && follower).toBeTruthy();
    ({ token } = await loggedInAs(follower.url, REPLICAS_ADMIN.username, REPLICAS_ADMIN.password));
  }, 120_000);

  afterEach(() => {
    for (const stream of open.splice(0)) stream.close();
  });

  afterAll(async () => {
    await replicas?.stop();
    for (const pid of processesOfService(serviceId)) process.kill(pid, 'SIGKILL');
    await database?.drop();
    await redis?.cleanup();
  });

  async function events(kiln: KilnProcess, lastEventId?: string): Promise<SseReader> {
    const headers: Record<string, string> = lastEventId ? { 'last-event-id': lastEventId } : {};
    const stream = await openSse(`${kiln.url}/api/v1/events`, token, headers);
    open.push(stream);
    return stream;
  }

  const ofService = (name: string) => (event: SseEvent) =>
    event.event === name && JSON.parse(event.data).serviceId === serviceId;

  /** The admin's client on `kiln`. */
  const on = (kiln: KilnProcess): KilnClient => clientAs(kiln.url, token);

  async function succeeds(api: KilnClient, id: string, timeoutMs: number): Promise<boolean> {
    const read = () => unwrap(api.api.GET('/api/v1/tasks/{id}', { params: { path: { id } } }));
    const result = await waitUntil(async () => (await read()).status === 'succeeded', {
      timeoutMs,
      intervalMs: 200,
    });
    return result.satisfied;
  }

  async function trainedModel(api: KilnClient): Promise<string> {
    const trained = await unwrap(
      api.api.POST('/api/v1/tasks', {
        body: {
          name: 'train for serving',
          command: ['python3', join(EXAMPLES, 'logistic_regression.py')],
          hyperparameters: { epochs: 5, samples: 100 },
        },
      }),
    );
    expect(await succeeds(api, trained.id, 60_000)).toBe(true);
    return trained.id;
  }

  it("shows a stream on one replica the service events the other replica's reconciler writes", async () => {
    const onLeader = on(leader);
    const modelTaskId = await trainedModel(onLeader);
    const stream = await events(follower);
    const created = await onLeader.api.POST('/api/v1/services', {
      body: {
        name: 'lr',
        command: ['python3', join(EXAMPLES, 'serve_logistic_regression.py')],
        model: { taskId: modelTaskId, path: 'model.json' },
        replicas: 1,
      },
    });
    expect(created.response.status).toBe(201);
    serviceId = created.data!.id;
    await stream.waitFor(ofService('service.ready'), 60_000);
    const names = stream.events.filter((event) => event.event.startsWith('service.'));
    expect(names.map((event) => event.event)).toEqual(['service.deploying', 'service.ready']);
  }, 150_000);

  it('resumes on either replica after a drop across a service event, missing and repeating nothing', async () => {
    const first = await events(follower);
    const onLeader = on(leader);
    const submit = (name: string) =>
      unwrap(onLeader.api.POST('/api/v1/tasks', { body: { name, command: ['true'] } }));
    // Something to stand on: an event seen before the drop.
    const before = await submit('before');
    await first.waitFor((event) => JSON.parse(event.data).taskId === before.id);
    const lastSeen = first.events.at(-1)!;
    first.close();

    const scaled = await onLeader.api.POST('/api/v1/services/{name}/scale', {
      params: { path: { name: 'lr' } },
      body: { replicas: 2 },
    });
    expect(scaled.response.status).toBe(200);
    const after = await submit('after');
    expect(await succeeds(onLeader, after.id, 30_000)).toBe(true);

    for (const kiln of [follower, leader]) {
      const resumed = await events(kiln, lastSeen.id);
      await resumed.waitFor(ofService('service.scaled'), 30_000);
      await resumed.waitFor((event) => {
        const data = JSON.parse(event.data);
        return data.taskId === after.id && data.to === 'succeeded';
      });
      const ids = resumed.events.map((event) => event.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => first.events.some((seen) => seen.id === id))).toEqual([]);
      expect(resumed.events.filter(ofService('service.scaled'))).toHaveLength(1);
      const afterStatuses = resumed.events
        .map((event) => JSON.parse(event.data))
        .filter((data) => data.taskId === after.id && data.kind === 'status')
        .map((data) => data.to);
      expect(afterStatuses[0]).toBe('pending');
      expect(new Set(afterStatuses).size).toBe(afterStatuses.length);
      resumed.close();
    }
  }, 90_000);

  it('admits only what fits when scales on both replicas race for the last of the quota', async () => {
    const api = on(follower).api;
    const { id: userId } = await unwrap(api.GET('/api/v1/auth/me'));
    // 'lr' holds two replicas: one more fits
    await unwrap(
      api.PATCH('/api/v1/admin/quotas/{userId}', {
        params: { path: { userId } },
        body: { maxRunning: 3 },
      }),
    );
    const names = ['race-a', 'race-b', 'race-c', 'race-d'];
    for (const name of names)
      await unwrap(
        api.POST('/api/v1/services', { body: { name, command: ['sleep', '600'], replicas: 0 } }),
      );
    const raced = await Promise.all(
      names.map((name, index) =>
        on(index % 2 ? leader : follower).api.POST('/api/v1/services/{name}/scale', {
          params: { path: { name } },
          body: { replicas: 1 },
        }),
      ),
    );
    const statuses = raced.map(({ response }) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(3);
    for (const name of names) {
      const service = { params: { path: { name } } };
      await unwrap(api.DELETE('/api/v1/services/{name}', service));
      const gone = await waitUntil(
        async () => (await api.GET('/api/v1/services/{name}', service)).response.status === 404,
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      expect(gone.satisfied).toBe(true);
    }
  }, 90_000);

  it('ends with the service deleted and no replica process left', async () => {
    const api = on(follower).api;
    const lr = { params: { path: { name: 'lr' } } };
    expect((await api.DELETE('/api/v1/services/{name}', lr)).response.status).toBe(202);
    const gone = await waitUntil(
      async () => (await api.GET('/api/v1/services/{name}', lr)).response.status === 404,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(gone.satisfied).toBe(true);
    expect(processesOfService(serviceId)).toEqual([]);
  }, 60_000);
});
