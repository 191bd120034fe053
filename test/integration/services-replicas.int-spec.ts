// Model services on PostgreSQL + Redis with two Kiln replicas sharing a runs directory:
// the leader runs the local replicas, and an invocation through either Kiln reaches them,
// since the replicas' endpoints are published beside them rather than kept in the
// leader's memory. The leader killed, the replicas keep serving and the new leader
// adopts them.
import { join, resolve } from 'node:path';
import { unwrap, type KilnClient } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { loggedInAs } from '../support/kiln-clients';
import type { KilnProcess } from '../support/kiln-process';
import { KilnReplicas, REPLICAS_ADMIN } from '../support/kiln-replicas';
import { leaderGauge } from '../support/leader-probe';
import { processesOfService } from '../support/run-processes';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { createTestRedisPrefix, SHARED_REDIS_URL, TestRedisPrefix } from '../support/redis';
import { tempDataDir } from '../support/test-config';

const EXAMPLES = resolve(__dirname, '../../examples');
const INSTANCES = { instances: [[1, 2, 3, 4]] };

describe('a local model service behind two Kiln replicas (PostgreSQL + Redis)', () => {
  afterAll(() => {
    for (const pid of processesOfService(serviceId)) process.kill(pid, 'SIGKILL');
  });

  let database: TestDatabase;
  let redis: TestRedisPrefix;
  let replicas: KilnReplicas | undefined;
  let leader: KilnProcess;
  let follower: KilnProcess;
  let token: string;
  /** The public API through the replica that does not lead, which outlives the leader. */
  let api: KilnClient['api'];
  let serviceId = '';
  const ofLr = { params: { path: { name: 'lr' } } };
  const readLr = () => unwrap(api.GET('/api/v1/services/{name}', ofLr));

  beforeAll(async () => {
    database = await createTestDatabase('kiln_services_replicas');
    redis = createTestRedisPrefix('kiln_services_replicas');
    replicas = await KilnReplicas.start(2, {
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: SHARED_REDIS_URL,
      KILN_REDIS_KEY_PREFIX: redis.prefix,
      KILN_LOCAL_RUNS_DIR: tempDataDir('kiln-shared-runs-'),
      KILN_LOCK_TTL_MS: '3000',
    });
    const roles = await Promise.all(replicas.processes.map((kiln) => leaderGauge(kiln.url)));
    leader = replicas.processes[roles.indexOf(1)];
    follower = replicas.processes[roles.indexOf(0)];
    expect(leader && follower).toBeTruthy();
    const session = await loggedInAs(
      follower.url,
      REPLICAS_ADMIN.username,
      REPLICAS_ADMIN.password,
    );
    api = session.client.api;
    token = session.token;
  }, 120_000);

  afterAll(async () => {
    await replicas?.stop();
    await database?.drop();
    await redis?.cleanup();
  });

  function invoke(kiln: KilnProcess) {
    return fetch(`${kiln.url}/api/v1/services/lr/invoke/predict`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(INSTANCES),
    });
  }

  it('answers invocations on the replica that does not lead as on the leader', async () => {
    const trained = await api.POST('/api/v1/tasks', {
      body: {
        name: 'train for serving',
        command: ['python3', join(EXAMPLES, 'logistic_regression.py')],
        hyperparameters: { epochs: 10, samples: 300 },
      },
    });
    expect(trained.response.status).toBe(201);
    const ofTrained = { params: { path: { id: trained.data!.id } } };
    const succeeded = await waitUntil(
      async () => (await unwrap(api.GET('/api/v1/tasks/{id}', ofTrained))).status === 'succeeded',
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(succeeded.satisfied).toBe(true);

    const created = await api.POST('/api/v1/services', {
      body: {
        name: 'lr',
        command: ['python3', join(EXAMPLES, 'serve_logistic_regression.py')],
        model: { taskId: trained.data!.id, path: 'model.json' },
        replicas: 2,
      },
    });
    expect(created.response.status).toBe(201);
    serviceId = created.data!.id;
    const ready = await waitUntil(async () => (await readLr()).status === 'ready', {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    expect(ready.satisfied).toBe(true);

    const statuses = { leader: [] as number[], follower: [] as number[] };
    const replicasSeen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      for (const [role, kiln] of [
        ['leader', leader],
        ['follower', follower],
      ] as const) {
        const response = await invoke(kiln);
        statuses[role].push(response.status);
        replicasSeen.add(response.headers.get('x-kiln-replica') ?? '');
        await response.text();
      }
    }
    expect(statuses.follower.filter((status) => status !== 200)).toEqual([]);
    expect(statuses.leader.filter((status) => status !== 200)).toEqual([]);
    expect([...replicasSeen].filter((name) => /^r1-/.test(name))).toHaveLength(2);
  }, 150_000);

  it('keeps answering through the other Kiln when the leader is killed, whose successor adopts the replicas', async () => {
    const before = await readLr();
    const names = before.replicaList.map((replica) => replica.name).sort();
    const pids = processesOfService(before.id).sort();
    expect(pids).toHaveLength(2);

    const statuses: number[] = [];
    let invoking = true;
    const load = (async () => {
      while (invoking) {
        const response = await invoke(follower);
        statuses.push(response.status);
        await response.text();
      }
    })();
    await replicas!.kill(leader);
    // The follower takes the lock once the dead leader's expires, then adopts the replicas.
    const adopted = await waitUntil(
      async () => {
        const ready = (await readLr()).replicaList
          .filter((replica) => replica.state === 'ready')
          .map((replica) => replica.name)
          .sort();
        return (await leaderGauge(follower.url)) === 1 && ready.join() === names.join();
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    invoking = false;
    await load;
    expect(adopted.satisfied).toBe(true);
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(processesOfService(before.id).sort()).toEqual(pids);
  }, 60_000);

  it('answers 404 once the service is deleted, and leaves no replica process', async () => {
    expect((await api.DELETE('/api/v1/services/{name}', ofLr)).response.status).toBe(202);
    const gone = await waitUntil(
      async () => (await api.GET('/api/v1/services/{name}', ofLr)).response.status === 404,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(gone.satisfied).toBe(true);
    // Each Kiln looks a service up at most a second stale; then it is gone everywhere.
    for (const kiln of [follower]) {
      const notFound = await waitUntil(
        async () => {
          const response = await invoke(kiln);
          await response.text();
          return response.status === 404;
        },
        { timeoutMs: 5_000, intervalMs: 100 },
      );
      expect(notFound.satisfied).toBe(true);
    }
    expect(processesOfService(serviceId)).toEqual([]);
  }, 60_000);
});
