// A task's runs: to success with what a run reports, retries with backoff, exit codes
// not worth retrying, timeouts.
import { join, resolve } from 'node:path';
import { unwrap } from '@kiln/client';
import { sendRaw } from '../../support/raw-request';
import { openSse } from '../../support/sse-client';
import { FINAL, shell, TaskWorld } from './task-world';

const EXAMPLES = resolve(__dirname, '..', '..', '..', 'examples');

export function runScenarios(worldOf: () => TaskWorld): void {
  let world: TaskWorld;

  beforeAll(() => {
    world = worldOf();
  });

  it('trains the example to success with metrics, progress, logs and a model artifact', async () => {
    const { tokens } = world;
    const api = world.as.alice;
    const stream = await openSse(`${world.kiln.url}/api/v1/events`, tokens.alice);
    const submitted = await world.submit({
      name: 'logistic regression',
      command: ['python3', join(EXAMPLES, 'logistic_regression.py')],
      hyperparameters: { epochs: 20, samples: 500, learning_rate: 0.5 },
      labels: { team: 'vision' },
    });
    expect(submitted.response.status).toBe(201);
    const id = submitted.data!.id;
    expect(submitted.response.headers.get('location')).toBe(`/api/v1/tasks/${id}`);
    const path = { id };
    const task = await world.waitForStatus(id, FINAL, 60_000);
    expect(task).toMatchObject({ status: 'succeeded', exitCode: 0, progress: 1, attempt: 1 });

    const metrics = await unwrap(
      api.GET('/api/v1/tasks/{id}/metrics', {
        params: { path, query: { names: 'loss', maxPoints: 10 } },
      }),
    );
    const loss = metrics.series.find((s) => s.name === 'loss')!;
    expect(loss.points.length).toBeGreaterThan(1);
    expect(loss.points.length).toBeLessThanOrEqual(10);
    expect(loss.points[loss.points.length - 1].value).toBeLessThan(loss.points[0].value);

    const logs = await api.GET('/api/v1/tasks/{id}/logs', {
      params: { path, query: { tail: 5 } },
      parseAs: 'text',
    });
    expect(logs.response.status).toBe(200);
    expect(logs.response.headers.get('content-type')).toContain('text/plain');
    expect(logs.data!.trim().split('\n').length).toBeLessThanOrEqual(5);

    const artifacts = await unwrap(api.GET('/api/v1/tasks/{id}/artifacts', { params: { path } }));
    expect(artifacts.entries.map((e) => e.path)).toContain('model.json');
    const model = await fetch(`${world.kiln.url}/api/v1/tasks/${id}/artifacts/model.json`, {
      headers: { authorization: `Bearer ${tokens.alice}` },
    });
    expect(model.status).toBe(200);
    expect(await model.json()).toEqual(expect.objectContaining({}));
    // raw: the client would encode these paths itself, and the test is about encoded ones
    const escape = await sendRaw(
      world.kiln.url,
      'GET',
      `/tasks/${id}/artifacts/..%2F..%2Fhyperparameters.json`,
      { token: tokens.alice },
    );
    expect(escape.status).toBe(404);
    const percentInName = await sendRaw(
      world.kiln.url,
      'GET',
      `/tasks/${id}/artifacts/100%25.txt`,
      {
        token: tokens.alice,
      },
    );
    expect(percentInName.status).toBe(404);

    // the SSE stream saw every transition of this task, in order
    await stream.waitFor(
      (event) =>
        event.event === 'status' &&
        JSON.parse(event.data).taskId === id &&
        JSON.parse(event.data).to === 'succeeded',
    );
    stream.close();
    const transitions = stream.events
      .filter((event) => event.event === 'status')
      .map((event) => JSON.parse(event.data))
      .filter((event) => event.taskId === id)
      .map((event) => event.to);
    expect(transitions).toEqual(['pending', 'queued', 'running', 'succeeded']);
    // an id is `<task event id>:<service event id>`; only tasks change here
    const ids = stream.events.map((event) => Number(event.id!.split(':')[0]));
    expect(ids.every(Number.isInteger)).toBe(true);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  }, 90_000);

  it('retries a failing command with backoff, then fails with its exit code', async () => {
    const submitted = await world.submit({
      name: 'always fails',
      ...shell('echo trying; exit 3'),
      maxRetries: 2,
      retryBackoffSeconds: 1,
    });
    const task = await world.waitForStatus(submitted.data!.id, FINAL, 30_000);
    expect(task).toMatchObject({ status: 'failed', exitCode: 3, attempt: 3, retriesUsed: 2 });
    const path = { id: task.id };
    const attempts = await unwrap(
      world.as.alice.GET('/api/v1/tasks/{id}/attempts', { params: { path } }),
    );
    expect(attempts.map((a) => a.exitCode)).toEqual([3, 3, 3]);
    const events = await unwrap(
      world.as.alice.GET('/api/v1/tasks/{id}/events', { params: { path } }),
    );
    const retries = events.filter((e) => /retry \d of 2 in \d+ s/.test(e.reason ?? ''));
    expect(retries).toHaveLength(2);
    // each retry waited: the next attempt was queued no earlier than the backoff allowed
    for (let n = 1; n < attempts.length; n++) {
      expect(Date.parse(attempts[n].queuedAt)).toBeGreaterThanOrEqual(
        Date.parse(attempts[n - 1].finishedAt!),
      );
    }
  }, 40_000);

  it('fails at once on an exit code the task says is not worth retrying', async () => {
    const submitted = await world.submit({
      name: 'bad config',
      ...shell('exit 2'),
      maxRetries: 3,
      noRetryExitCodes: [2],
    });
    const task = await world.waitForStatus(submitted.data!.id, FINAL);
    expect(task).toMatchObject({ status: 'failed', exitCode: 2, attempt: 1 });
    expect(task.failureReason).toContain('not retried');
  });

  it('times out a run that sleeps past its timeout', async () => {
    const submitted = await world.submit({
      name: 'sleeper',
      command: ['sleep', '30'],
      timeoutSeconds: 1,
    });
    const task = await world.waitForStatus(submitted.data!.id, FINAL, 20_000);
    expect(task.status).toBe('timed_out');
    expect(task.failureReason).toContain('timeout');
  }, 30_000);
}
