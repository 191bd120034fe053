// A Kiln restarted (cleanly, then killed) while a model service runs, on the embedded
// default: the replicas keep serving through it, and the next Kiln adopts the very same
// processes instead of starting a second set; deleting the service then leaves no
// process behind.
import { join, resolve } from 'node:path';
import { waitUntil } from '../../src/common/wait-until';
import { ApiClient } from '../support/api-client';
import { KilnProcess } from '../support/kiln-process';
import { processesOfService } from '../support/run-processes';
import { tempDataDir } from '../support/test-config';

const EXAMPLES = resolve(__dirname, '../../examples');
const ADMIN_PASSWORD = 'services restart password 1';

describe('a Kiln restart while a local model service runs', () => {
  const env = {
    KILN_DATA_DIR: tempDataDir('kiln-services-restart-'),
    KILN_ADMIN_USERNAME: 'root',
    KILN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    KILN_LOCAL_KEEP_SERVICES_ON_SHUTDOWN: 'true',
    KILN_TASK_STOP_GRACE_MS: '2000',
  };
  let kiln: KilnProcess | undefined;
  let api: ApiClient;
  let token: string;
  let serviceId = '';

  afterAll(async () => {
    await kiln?.stop('SIGTERM');
    for (const pid of processesOfService(serviceId)) process.kill(pid, 'SIGKILL');
  });

  async function start(): Promise<void> {
    kiln = await KilnProcess.start({ env });
    api = new ApiClient(kiln.url);
    const session = await api.post('/auth/login', { username: 'root', password: ADMIN_PASSWORD });
    token = session.body.accessToken;
  }

  async function service(): Promise<Record<string, any>> {
    return (await api.get('/services/lr', token)).body;
  }

  async function waitForReady(): Promise<Record<string, any>> {
    let last: Record<string, any> = {};
    // Both the stored status and the runtime's own view of the replicas (what a new Kiln
    // knows only once its reconciler has deployed the service again).
    const ready = await waitUntil(
      async () => {
        last = await service();
        const replicas = (last.replicaList ?? []) as Array<{ state: string }>;
        return last.status === 'ready' && replicas.filter((r) => r.state === 'ready').length === 2;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    if (!ready.satisfied) throw new Error(`never ready: ${JSON.stringify(last)}`);
    return last;
  }

  function invoke(): Promise<Response> {
    return fetch(`${kiln!.url}/api/v1/services/lr/invoke/predict`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [[1, 2, 3, 4]] }),
    });
  }

  /** Replica names answering invocations, after `count` of them, all of which must be 200. */
  async function answeringReplicas(count: number): Promise<string[]> {
    const names = new Set<string>();
    for (let i = 0; i < count; i++) {
      const response = await invoke();
      expect(response.status).toBe(200);
      names.add(response.headers.get('x-kiln-replica') ?? '');
      await response.text();
    }
    return [...names].sort();
  }

  const namesOf = (found: Record<string, any>) =>
    (found.replicaList as Array<{ name: string }>).map((replica) => replica.name).sort();

  it('adopts the replicas a cleanly stopped Kiln left, and then those of a killed one', async () => {
    await start();
    const trained = await api.post(
      '/tasks',
      {
        name: 'train for serving',
        command: ['python3', join(EXAMPLES, 'logistic_regression.py')],
        hyperparameters: { epochs: 10, samples: 300 },
      },
      token,
    );
    const succeeded = await waitUntil(
      async () => (await api.get(`/tasks/${trained.body.id}`, token)).body.status === 'succeeded',
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(succeeded.satisfied).toBe(true);
    const created = await api.post(
      '/services',
      {
        name: 'lr',
        command: ['python3', join(EXAMPLES, 'serve_logistic_regression.py')],
        model: { taskId: trained.body.id, path: 'model.json' },
        replicas: 2,
      },
      token,
    );
    expect(created.status).toBe(201);
    serviceId = created.body.id;
    const names = namesOf(await waitForReady());
    const pids = processesOfService(serviceId).sort();
    expect(pids).toHaveLength(2);
    expect(await answeringReplicas(10)).toEqual(names);

    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      await kiln!.stop(signal);
      expect(processesOfService(serviceId).sort()).toEqual(pids); // still serving, unsupervised
      await start();
      expect(namesOf(await waitForReady())).toEqual(names);
      expect(await answeringReplicas(10)).toEqual(names);
      expect(processesOfService(serviceId).sort()).toEqual(pids);
      const adopted = await api.get(`/services/lr/replicas/${names[0]}/logs?tail=50`, token);
      expect(adopted.text).toContain('kiln: replica adopted');
    }
  }, 120_000);

  it('stops every adopted replica when the service is deleted', async () => {
    expect((await api.request('DELETE', '/services/lr', { token })).status).toBe(202);
    const gone = await waitUntil(
      async () => (await api.get('/services/lr', token)).status === 404,
      {
        timeoutMs: 30_000,
        intervalMs: 100,
      },
    );
    expect(gone.satisfied).toBe(true);
    expect(processesOfService(serviceId)).toEqual([]);
  }, 60_000);
});
