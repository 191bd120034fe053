// A Kiln restarted (cleanly, then killed) while a model service runs, on the embedded
// default: the replicas keep serving through it, and the next Kiln adopts the very same
// processes instead of starting a second set; deleting the service then leaves no
// process behind.
import { join, resolve } from 'node:path';
import { unwrap, type KilnClient, type ServiceDetail } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { loggedInAs } from '../support/kiln-clients';
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
  let api: KilnClient['api'];
  let token: string;
  let serviceId = '';

  afterAll(async () => {
    await kiln?.stop('SIGTERM');
    for (const pid of processesOfService(serviceId)) process.kill(pid, 'SIGKILL');
  });

  async function start(): Promise<void> {
    kiln = await KilnProcess.start({ env });
    const session = await loggedInAs(kiln.url, 'root', ADMIN_PASSWORD);
    api = session.client.api;
    token = session.token;
  }

  const ofLr = { params: { path: { name: 'lr' } } };

  function service(): Promise<ServiceDetail> {
    return unwrap(api.GET('/api/v1/services/{name}', ofLr));
  }

  async function waitForReady(): Promise<ServiceDetail> {
    let last: ServiceDetail | undefined;
    // Both the stored status and the runtime's own view of the replicas (what a new Kiln
    // knows only once its reconciler has deployed the service again).
    const ready = await waitUntil(
      async () => {
        const read = (last = await service());
        const ready = read.replicaList.filter((replica) => replica.state === 'ready');
        return read.status === 'ready' && ready.length === 2;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    if (!ready.satisfied || !last) throw new Error(`never ready: ${JSON.stringify(last)}`);
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

  const namesOf = (found: ServiceDetail) => found.replicaList.map((replica) => replica.name).sort();

  it('adopts the replicas a cleanly stopped Kiln left, and then those of a killed one', async () => {
    await start();
    const trained = await unwrap(
      api.POST('/api/v1/tasks', {
        body: {
          name: 'train for serving',
          command: ['python3', join(EXAMPLES, 'logistic_regression.py')],
          hyperparameters: { epochs: 10, samples: 300 },
        },
      }),
    );
    const ofTrained = { params: { path: { id: trained.id } } };
    const succeeded = await waitUntil(
      async () => (await unwrap(api.GET('/api/v1/tasks/{id}', ofTrained))).status === 'succeeded',
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(succeeded.satisfied).toBe(true);
    const created = await api.POST('/api/v1/services', {
      body: {
        name: 'lr',
        command: ['python3', join(EXAMPLES, 'serve_logistic_regression.py')],
        model: { taskId: trained.id, path: 'model.json' },
        replicas: 2,
      },
    });
    expect(created.response.status).toBe(201);
    serviceId = created.data!.id;
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
      const adopted = await unwrap(
        api.GET('/api/v1/services/{name}/replicas/{replica}/logs', {
          params: { path: { name: 'lr', replica: names[0] }, query: { tail: 50 } },
          parseAs: 'text',
        }),
      );
      expect(adopted).toContain('kiln: replica adopted');
    }
  }, 120_000);

  it('stops every adopted replica when the service is deleted', async () => {
    expect((await api.DELETE('/api/v1/services/{name}', ofLr)).response.status).toBe(202);
    const gone = await waitUntil(
      async () => (await api.GET('/api/v1/services/{name}', ofLr)).response.status === 404,
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(gone.satisfied).toBe(true);
    expect(processesOfService(serviceId)).toEqual([]);
  }, 60_000);
});
