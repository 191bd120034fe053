// A queue run by the Kubernetes runtime goes through the same REST lifecycle as a local
// one: the real app on the embedded default, Jobs on a fake API server the test drives.
import { waitUntil } from '../../src/common/wait-until';
import { jobNameFor } from '../../src/modules/runtimes/kubernetes/run-identity';
import { queuesConfigFile, startTaskWorld, TaskWorld } from '../scenarios/tasks/task-world';
import { unwrap } from '@kiln/client';
import { FakeKubeApi } from '../support/fake-kube-api/fake-kube-api';
import { clientAs } from '../support/kiln-clients';
import { startTestApp } from '../support/test-app';

const NS = 'kiln';
const FINAL = ['succeeded', 'failed', 'timed_out', 'cancelled'];
const IMAGE = 'registry.example.com/team/trainer:1.2.3';

describe('training tasks on a Kubernetes queue (fake API server)', () => {
  let kube: FakeKubeApi;
  let world: TaskWorld;

  beforeAll(async () => {
    kube = new FakeKubeApi();
    await kube.start();
    world = await startTaskWorld(startTestApp, {
      KILN_CONFIG_FILE: queuesConfigFile(4, [
        '    - { name: k8s, runtime: kubernetes, maxRunning: 4, maxGpus: 0 }',
      ]),
      KILN_K8S_KUBECONFIG: kube.writeKubeconfig(),
    });
  }, 60_000);

  afterAll(async () => {
    await world?.kiln.close();
    await kube?.stop();
  });

  async function submit(name: string): Promise<string> {
    const submitted = await world.submit({
      name,
      queue: 'k8s',
      image: IMAGE,
      command: ['python', 'train.py'],
      maxRetries: 0,
    });
    expect(submitted.response.status).toBe(201);
    return submitted.data!.id;
  }

  /** Waits for the attempt's Job on the fake API server and returns its name. */
  async function jobOf(taskId: string, attempt = 1): Promise<string> {
    const name = jobNameFor(taskId, attempt);
    const created = await waitUntil(() => kube.job(NS, name) !== undefined, {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    if (!created.satisfied) throw new Error(`no Job ${NS}/${name} for task ${taskId}`);
    return name;
  }

  /** The public API as alice, through the generated client. */
  const alice = () => clientAs(world.kiln.url, world.tokens.alice).api;
  const byId = (id: string) => ({ params: { path: { id } } });

  async function lossSeries(id: string): Promise<Array<{ step: number | null; value: number }>> {
    const metrics = await unwrap(
      alice().GET('/api/v1/tasks/{id}/metrics', {
        params: { path: { id }, query: { names: 'loss' } },
      }),
    );
    return metrics.series.find((series) => series.name === 'loss')?.points ?? [];
  }

  it('runs a task as a Job: running, logs, metrics nobody watched the log for, success', async () => {
    const id = await submit('k8s success');
    const job = await jobOf(id);
    expect(kube.job(NS, job)!.spec.template.spec.containers[0].image).toBe(IMAGE);

    kube.running(NS, job);
    kube.appendLog(NS, job, 'epoch 1', 'KILN_METRIC {"name":"loss","step":1,"value":0.9}');
    kube.appendLog(
      NS,
      job,
      'KILN_METRIC {"name":"loss","step":2,"value":0.4}',
      'KILN_PROGRESS 0.5',
    );
    expect(await world.waitForStatus(id, ['running'])).toMatchObject({ status: 'running' });

    let points: Array<{ step: number | null; value: number }> = [];
    const collected = await waitUntil(async () => (points = await lossSeries(id)).length === 2, {
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    expect(collected.satisfied).toBe(true);
    expect(points.map((p) => [p.step, p.value])).toEqual([
      [1, 0.9],
      [2, 0.4],
    ]);
    const halfway = await waitUntil(
      async () => (await unwrap(alice().GET('/api/v1/tasks/{id}', byId(id)))).progress === 0.5,
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(halfway.satisfied).toBe(true);

    const logs = await alice().GET('/api/v1/tasks/{id}/logs', { ...byId(id), parseAs: 'text' });
    expect(logs.response.status).toBe(200);
    expect(logs.response.headers.get('content-type')).toContain('text/plain');
    expect(logs.data!.trim().split('\n')).toEqual([
      'epoch 1',
      'KILN_METRIC {"name":"loss","step":1,"value":0.9}',
      'KILN_METRIC {"name":"loss","step":2,"value":0.4}',
      'KILN_PROGRESS 0.5',
    ]);

    kube.appendLog(NS, job, 'KILN_METRIC {"name":"loss","step":3,"value":0.2}');
    kube.succeeded(NS, job);
    kube.finishLog(NS, job);
    const task = await world.waitForStatus(id, FINAL);
    expect(task).toMatchObject({ status: 'succeeded', exitCode: 0, attempt: 1 });
    const complete = await waitUntil(async () => (await lossSeries(id)).length === 3, {
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    expect(complete.satisfied).toBe(true);
    // reading the log did not report its points a second time
    expect((await lossSeries(id)).map((p) => p.step)).toEqual([1, 2, 3]);
  }, 60_000);

  it('cancels a running task by deleting its Job, then retries it as a new Job', async () => {
    const id = await submit('k8s cancel');
    const job = await jobOf(id);
    kube.running(NS, job);
    await world.waitForStatus(id, ['running']);

    const cancel = await alice().POST('/api/v1/tasks/{id}/cancel', byId(id));
    expect(cancel.response.status).toBe(200);
    expect(await world.waitForStatus(id, FINAL)).toMatchObject({ status: 'cancelled' });
    const deletes = kube.requestsTo('DELETE', new RegExp(`/jobs/${job}$`));
    expect(deletes.length).toBeGreaterThanOrEqual(1);
    expect(deletes[0].query.propagationPolicy ?? deletes[0].body?.propagationPolicy).toBe(
      'Background',
    );
    expect(kube.job(NS, job)).toBeUndefined();

    const retried = await alice().POST('/api/v1/tasks/{id}/retry', byId(id));
    expect(retried.response.status).toBe(200);
    const second = await jobOf(id, 2);
    expect(second).not.toBe(job);
    kube.running(NS, second);
    kube.succeeded(NS, second);
    expect(await world.waitForStatus(id, FINAL)).toMatchObject({
      status: 'succeeded',
      attempt: 2,
    });
    const attempts = await unwrap(alice().GET('/api/v1/tasks/{id}/attempts', byId(id)));
    expect(attempts.map((attempt) => attempt.executor)).toEqual(['kubernetes', 'kubernetes']);
  }, 60_000);

  it('fails a task with the exit code of its container', async () => {
    const id = await submit('k8s exit 3');
    const job = await jobOf(id);
    kube.running(NS, job);
    kube.failed(NS, job, 3);
    expect(await world.waitForStatus(id, FINAL)).toMatchObject({ status: 'failed', exitCode: 3 });
  }, 60_000);

  it('fails a task whose container ran out of memory, naming OOMKilled', async () => {
    const id = await submit('k8s oom');
    const job = await jobOf(id);
    kube.running(NS, job);
    kube.oomKilled(NS, job);
    const task = await world.waitForStatus(id, FINAL);
    expect(task).toMatchObject({ status: 'failed', exitCode: 137 });
    expect(task.failureReason).toMatch(/OOMKilled/);
  }, 60_000);

  it('refuses a task without an image with 400, naming the field, and stores nothing', async () => {
    const taskIds = async () =>
      (
        await unwrap(world.as.alice.GET('/api/v1/tasks', { params: { query: { limit: 200 } } }))
      ).items.map((task) => task.id);
    const tasksBefore = await taskIds();
    const jobsBefore = kube.requestsTo('POST', /\/jobs$/).length;

    const refused = await world.submit({ name: 'k8s no image', queue: 'k8s', command: ['true'] });

    expect(refused.response.status).toBe(400);
    expect(refused.response.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.error?.detail).toBe(
      'Queue "k8s" runs tasks on the kubernetes runtime, which cannot run this one: ' +
        'image is required: each run is a container of that image.',
    );
    expect(refused.error?.errors).toEqual([
      { field: 'image', message: 'is required: each run is a container of that image' },
    ]);
    expect(await taskIds()).toEqual(tasksBefore);
    expect(kube.requestsTo('POST', /\/jobs$/)).toHaveLength(jobsBefore);
  }, 30_000);
});
