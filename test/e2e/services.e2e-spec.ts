// Model services on the embedded default with the local runtime: a model trained by the
// example is deployed, invoked through Kiln, rolled out under load, broken, scaled,
// killed and deleted, with real replica processes.
import { join, resolve } from 'node:path';
import { unwrap, type ServiceDetail, type ServiceSubmission } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { processesOfService } from '../support/run-processes';
import { startTestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';
import { FINAL, startTaskWorld, TaskWorld } from '../scenarios/tasks/task-world';

const EXAMPLES = resolve(__dirname, '../../examples');
const SERVE = ['python3', join(EXAMPLES, 'serve_logistic_regression.py')];
const INSTANCES = {
  instances: [
    [1, 2, 3, 4],
    [-1, -2, -3, -4],
  ],
};

/**
 * Echoes a POST's body, or closes the connection without an answer when the request's
 * x-drop-on header names this replica: a replica that breaks a request off.
 */
const DROPPING_SERVER = `
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
ME = os.environ["KILN_SERVICE_REPLICA"]
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.answer(b"ok")
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        if self.headers.get("x-drop-on") == ME:
            self.close_connection = True
            return
        self.answer(body)
    def answer(self, body):
        self.send_response(200)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
ThreadingHTTPServer((os.environ["HOST"], int(os.environ["PORT"])), Handler).serve_forever()
`;

describe('model services on the embedded default (local runtime)', () => {
  let world: TaskWorld;
  let modelTaskId: string;
  let serviceId: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    world = await startTaskWorld(startTestApp, {
      KILN_LOCAL_SERVICE_DRAIN_MS: '500',
      KILN_TASK_STOP_GRACE_MS: '2000',
      KILN_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
    receiver = await WebhookReceiver.start();
    const webhook = await world.as.alice.POST('/api/v1/webhooks', {
      body: { url: receiver.url, events: ['service.status', 'service.scaled'] },
    });
    expect(webhook.response.status).toBe(201);
    const trained = await world.submit({
      name: 'train for serving',
      command: ['python3', join(EXAMPLES, 'logistic_regression.py')],
      hyperparameters: { epochs: 10, samples: 300 },
    });
    modelTaskId = trained.data!.id;
    const task = await world.waitForStatus(modelTaskId, FINAL, 60_000);
    expect(task.status).toBe('succeeded');
  }, 90_000);

  afterAll(async () => {
    await world?.kiln.close();
    await receiver?.close();
  });

  const alice = () => world.tokens.alice;
  const lr = { params: { path: { name: 'lr' } } };

  function deploy(body: ServiceSubmission) {
    return world.as.alice.POST('/api/v1/services', { body });
  }

  function invoke(name: string, token = alice()) {
    return fetch(`${world.kiln.url}/api/v1/services/${name}/invoke/predict`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(INSTANCES),
    });
  }

  async function waitForService(
    name: string,
    check: (service: ServiceDetail) => boolean,
    timeoutMs = 30_000,
  ): Promise<ServiceDetail> {
    let service: ServiceDetail | undefined;
    const result = await waitUntil(
      async () => {
        const path = { name };
        service = await unwrap(world.as.admin.GET('/api/v1/services/{name}', { params: { path } }));
        return check(service);
      },
      { timeoutMs, intervalMs: 100 },
    );
    if (!result.satisfied)
      throw new Error(`service ${name} never got there: ${JSON.stringify(service)}`);
    return service!;
  }

  /** Invokes the service without pause until stopped; counts answers by status. */
  function hammer(name: string) {
    const counts = { ok: 0, failed: 0, revisions: new Set<string>() };
    let running = true;
    const loops = [1, 2].map(async () => {
      while (running) {
        const response = await invoke(name).catch(() => undefined);
        if (response?.status === 200) {
          counts.ok++;
          counts.revisions.add(((await response.json()) as { revision: string }).revision);
        } else {
          counts.failed++;
          await response?.text();
        }
      }
    });
    return {
      counts,
      stop: async () => {
        running = false;
        await Promise.all(loops);
        return counts;
      },
    };
  }

  it('refuses an invalid spec with 400 naming each field', async () => {
    const response = await deploy({
      name: 'Not_A_Label',
      command: [],
      replicas: 99,
      port: 0,
      healthPath: 'healthz',
      env: { KILN_SECRET: 'x' },
    });
    expect(response.response.status).toBe(400);
    expect(response.response.headers.get('content-type')).toContain('application/problem+json');
    const fields = (response.error?.errors ?? []).map((error) => error.field);
    expect(fields).toEqual(
      expect.arrayContaining(['name', 'command', 'replicas', 'port', 'healthPath']),
    );
    const reserved = await deploy({ name: 'reserved', command: SERVE, env: { KILN_X: '1' } });
    expect(reserved.response.status).toBe(400);
    expect(reserved.error?.errors?.[0].field).toBe('env');
  });

  it('refuses a model from a task that has not succeeded (409) or a file it did not write (404)', async () => {
    const failing = await world.submit({ name: 'fails', command: ['/bin/sh', '-c', 'exit 3'] });
    await world.waitForStatus(failing.data!.id, FINAL);
    const notSucceeded = await deploy({
      name: 'from-failed',
      command: SERVE,
      model: { taskId: failing.data!.id, path: 'model.json' },
    });
    expect(notSucceeded.response.status).toBe(409);
    expect(notSucceeded.error?.type).toContain('task-not-succeeded');
    const missing = await deploy({
      name: 'missing-file',
      command: SERVE,
      model: { taskId: modelTaskId, path: 'nope.json' },
    });
    expect(missing.response.status).toBe(404);
    const escaping = await deploy({
      name: 'escaping',
      command: SERVE,
      model: { taskId: modelTaskId, path: '../../etc/passwd' },
    });
    expect(escaping.response.status).toBe(400);
    expect(escaping.error?.errors?.[0].field).toBe('model.path');
  });

  it('deploys the trained model and answers predictions through Kiln', async () => {
    const created = await deploy({
      name: 'lr',
      command: SERVE,
      model: { taskId: modelTaskId, path: 'model.json' },
      replicas: 2,
      labels: { team: 'vision' },
    });
    expect(created.response.status).toBe(201);
    serviceId = created.data!.id;
    expect(created.response.headers.get('location')).toBe('/api/v1/services/lr');
    expect(created.data).toMatchObject({
      name: 'lr',
      status: 'deploying',
      revision: 1,
      replicas: { desired: 2 },
      spec: { model: { taskId: modelTaskId, attempt: 1, path: 'model.json' } },
      endpoint: '/api/v1/services/lr/invoke/',
      invokeRetry: true,
    });
    const ready = await waitForService('lr', (service) => service.status === 'ready');
    expect(ready).toMatchObject({
      replicas: { desired: 2, ready: 2, updated: 2 },
      servingRevision: 1,
    });
    expect(ready.replicaList).toHaveLength(2);

    const response = await invoke('lr');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-kiln-replica')).toMatch(/^r1-/);
    const body = (await response.json()) as { predictions: number[]; probabilities: number[] };
    expect(body.predictions).toHaveLength(2);
    expect(body.probabilities.every((p) => p >= 0 && p <= 1)).toBe(true);

    const replica = ready.replicaList[0].name;
    const logs = await world.as.alice.GET('/api/v1/services/{name}/replicas/{replica}/logs', {
      params: { path: { name: 'lr', replica }, query: { tail: 200 } },
      parseAs: 'text',
    });
    expect(logs.response.status).toBe(200);
    expect(logs.data).toContain('serving 4-feature logistic regression');
  }, 60_000);

  it('tells the owner’s webhook of the service’s status changes: deploying, then ready', async () => {
    const requests = await receiver.received(2);
    expect(requests.map((request) => request.json.type)).toEqual([
      'service.status',
      'service.status',
    ]);
    expect(requests.map((request) => request.json.data)).toEqual([
      expect.objectContaining({ serviceId, serviceName: 'lr', from: null, to: 'deploying' }),
      expect.objectContaining({ serviceId, from: 'deploying', to: 'ready', revision: 1 }),
    ]);
  });

  it('keeps another member from seeing, changing or invoking the service (404)', async () => {
    const bob = world.tokens.bob;
    expect((await world.as.bob.GET('/api/v1/services/{name}', lr)).response.status).toBe(404);
    const list = await unwrap(world.as.bob.GET('/api/v1/services'));
    expect(list.items.map((service) => service.name)).not.toContain('lr');
    expect((await invoke('lr', bob)).status).toBe(404);
    const scaled = await world.as.bob.POST('/api/v1/services/{name}/scale', {
      ...lr,
      body: { replicas: 0 },
    });
    expect(scaled.response.status).toBe(404);
    const asViewer = await world.as.viewer.GET('/api/v1/services/{name}', lr);
    expect(asViewer.response.status).toBe(200);
    expect((await invoke('lr', world.tokens.viewer)).status).toBe(403);
  });

  it('rolls out a new revision under steady load without failing a request', async () => {
    const load = hammer('lr');
    const changed = await world.as.alice.PATCH('/api/v1/services/{name}', {
      ...lr,
      body: { env: { MODEL_VARIANT: 'b' } },
    });
    expect(changed.response.status).toBe(200);
    expect(changed.data?.revision).toBe(2);
    await waitForService('lr', (s) => s.servingRevision === 2 && s.status === 'ready', 60_000);
    const counts = await load.stop();
    // the old replicas leave the endpoints and drain before they stop; a request caught
    // by one stopping anyway is sent to another replica
    expect(counts.failed).toBe(0);
    expect(counts.ok).toBeGreaterThan(20);
    expect([...counts.revisions].sort()).toEqual(['1', '2']);
    const revisions = await unwrap(world.as.alice.GET('/api/v1/services/{name}/revisions', lr));
    expect(revisions.items.map((r) => r.number)).toEqual([2, 1]);
  }, 90_000);

  it('fails the rollout of a revision that never becomes healthy and keeps the old one serving', async () => {
    const broken = await world.as.alice.PATCH('/api/v1/services/{name}', {
      ...lr,
      body: { command: ['/bin/sh', '-c', 'exit 1'], rolloutTimeoutSeconds: 5 },
    });
    expect(broken.response.status).toBe(200);
    expect(broken.data?.revision).toBe(3);
    const failed = await waitForService('lr', (s) => s.rollout?.state === 'failed', 30_000);
    expect(failed).toMatchObject({ servingRevision: 2, status: 'ready' });
    expect(failed.reason).toContain('revision 3 did not become healthy');
    const response = await invoke('lr');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { revision: string }).revision).toBe('2');
    // the broken revision's replicas are gone: only revision 2 runs
    await waitForService('lr', (s) => s.replicaList.every((r) => r.revision === 2));
  }, 60_000);

  it('rolls back by deploying an earlier revision as a new one', async () => {
    const rolledBack = await world.as.alice.POST('/api/v1/services/{name}/rollback', {
      ...lr,
      body: { revision: 2 },
    });
    expect(rolledBack.response.status).toBe(200);
    expect(rolledBack.data).toMatchObject({
      revision: 4,
      spec: { cause: 'rollback to revision 2' },
    });
    await waitForService('lr', (s) => s.servingRevision === 4 && s.status === 'ready', 60_000);
  }, 60_000);

  it('restarts a killed replica while the other answers every request, those in flight on it included', async () => {
    // the replicas of the last rollout's old revision are gone once two processes are left
    const settled = await waitUntil(() => processesOfService(serviceId).length === 2, {
      timeoutMs: 10_000,
    });
    expect(settled.satisfied).toBe(true);
    const load = hammer('lr');
    const [victim] = processesOfService(serviceId);
    process.kill(victim, 'SIGKILL');
    const restarted = await waitForService('lr', (s) =>
      s.replicaList.some((r) => r.restarts === 1 && r.state === 'ready'),
    );
    const counts = await load.stop();
    // a request in flight on the killed replica is sent again to the other one, and so is
    // one sent to it before the runtime saw it die (its connection is refused)
    expect(counts.failed).toBe(0);
    expect(counts.ok).toBeGreaterThan(0);
    expect(restarted.replicaList.map((r) => r.state)).toEqual(['ready', 'ready']);
    expect(processesOfService(serviceId)).toHaveLength(2);
  }, 60_000);

  it('scales 2 → 3 → 0 → 1: no replica while at zero (503 with Retry-After)', async () => {
    const scale = async (replicas: number) =>
      (await world.as.alice.POST('/api/v1/services/{name}/scale', { ...lr, body: { replicas } }))
        .response;
    expect((await scale(3)).status).toBe(200);
    await waitForService('lr', (s) => s.status === 'ready' && s.replicas.ready === 3);
    expect((await scale(0)).status).toBe(200);
    await waitForService('lr', (s) => s.status === 'stopped');
    // the status turns stopped once every replica was told to stop; the last process may
    // still be exiting for a moment
    const gone = await waitUntil(() => processesOfService(serviceId).length === 0, {
      timeoutMs: 10_000,
    });
    expect(gone.satisfied).toBe(true);
    const none = await invoke('lr');
    expect(none.status).toBe(503);
    expect(none.headers.get('retry-after')).toBeTruthy();
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect((await scale(1)).status).toBe(200);
    await waitForService('lr', (s) => s.status === 'ready' && s.replicas.ready === 1);
    expect((await invoke('lr')).status).toBe(200);

    // the owner's webhook heard each scale, with the replicas wanted from then on
    const scaled = await waitUntil(
      () => receiver.requests.filter((r) => r.json.type === 'service.scaled').length >= 3,
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    expect(scaled.satisfied).toBe(true);
    // a service's deliveries are not held in order (only a task's are), so each scale is
    // found by what it says, not by when it arrived
    const scales = receiver.requests
      .filter((r) => r.json.type === 'service.scaled')
      .map((r) => r.json.data);
    expect(scales.map((data) => data.replicas).sort()).toEqual([0, 1, 3]);
    expect(scales.find((data) => data.replicas === 3)).toMatchObject({
      serviceId,
      reason: 'scaled from 2 to 3 replicas',
    });
  }, 60_000);

  it('sends a POST its replica broke off unanswered to the other replica, unless the service turns that off', async () => {
    const created = await deploy({
      name: 'flaky',
      command: ['python3', '-c', DROPPING_SERVER],
      model: { taskId: modelTaskId, path: 'model.json' },
      replicas: 2,
    });
    expect(created.response.status).toBe(201);
    const ready = await waitForService('flaky', (s) => s.status === 'ready');
    const dropping = ready.replicaList[0].name;
    const post = () =>
      fetch(`${world.kiln.url}/api/v1/services/flaky/invoke/echo`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${alice()}`,
          'content-type': 'application/json',
          'x-drop-on': dropping,
        },
        body: '{"n": 1}',
      });
    // round-robin: one of two requests goes to the dropping replica first
    for (const response of [await post(), await post()]) {
      expect(response.status).toBe(200);
      expect(response.headers.get('x-kiln-replica')).not.toBe(dropping);
      expect(await response.text()).toBe('{"n": 1}'); // the body, sent again byte for byte
    }

    const changed = await world.as.alice.PATCH('/api/v1/services/{name}', {
      params: { path: { name: 'flaky' } },
      body: { invokeRetry: false },
    });
    expect(changed.data?.invokeRetry).toBe(false);
    const statuses: number[] = [];
    let problem: unknown;
    // the invoke path reads the change within a second, and skips the dropping replica
    // for two after it broke a connection off
    const failed = await waitUntil(
      async () => {
        const response = await post();
        statuses.push(response.status);
        if (response.status === 502) {
          problem = await response.json();
          return true;
        }
        await response.text();
        return false;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(failed.satisfied).toBe(true);
    expect(problem).toMatchObject({ status: 502, detail: expect.stringContaining('broke') });
    expect(statuses.filter((status) => status !== 200 && status !== 502)).toEqual([]);
    // the detail sums every invocation up: the two retried into a 200, then those of the loop
    const invoked = 2 + statuses.length;
    const summarized = await waitForService('flaky', (s) => s.invocations?.total === invoked);
    expect(summarized.invocations).toMatchObject({
      windowSeconds: 300,
      byStatusClass: { '2xx': 2 + statuses.filter((status) => status === 200).length, '5xx': 1 },
      retried: 1,
      latencyMs: { p50: expect.any(Number), p99: expect.any(Number) },
    });
    const deleted = await world.as.alice.DELETE('/api/v1/services/{name}', {
      params: { path: { name: 'flaky' } },
    });
    expect(deleted.response.status).toBe(202);
  }, 60_000);

  it('deletes a service: every replica process stops and the service is gone', async () => {
    const deleted = await world.as.alice.DELETE('/api/v1/services/{name}', lr);
    expect(deleted.response.status).toBe(202);
    const gone = await waitUntil(
      async () => (await world.as.alice.GET('/api/v1/services/{name}', lr)).response.status === 404,
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(gone.satisfied).toBe(true);
    expect(processesOfService(serviceId)).toEqual([]);
  }, 60_000);
});
