// The task lifecycle scenarios, written once and run on the embedded default
// (test/e2e/tasks.e2e-spec.ts) and on PostgreSQL + Redis (test/integration/tasks.int-spec.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { waitUntil } from '../../src/common/wait-until';
import { readProcessIdentity } from '../../src/modules/runtimes/local/process/process-identity';
import { TaskAttempt } from '../../src/modules/tasks/persistence/entities/task-attempt.entity';
import { ApiClient, ApiResponse } from '../support/api-client';
import { openSse } from '../support/sse-client';
import type { TestApp, TestAppOptions } from '../support/test-app';
import { tempDataDir } from '../support/test-config';

export type StartApp = (options: TestAppOptions) => Promise<TestApp>;

const ADMIN = 'root';
const ADMIN_PASSWORD = 'correct horse battery staple 42';
const PASSWORD = 'a long enough password';
const EXAMPLES = resolve(__dirname, '..', '..', 'examples');
const FINAL = ['succeeded', 'failed', 'timed_out', 'cancelled'];

/** Lets members submit to a local queue even when runs are not sandboxed (as in tests). */
const MEMBERS = 'allowedRoles: [admin, member]';

/**
 * A config file with a roomy default queue and a one-slot queue for waiting scenarios;
 * `extraLines` go after them (more queues, or further YAML sections).
 */
export function queuesConfigFile(defaultCapacity = 4, extraLines: string[] = []): string {
  const path = join(tempDataDir('kiln-queues-'), 'kiln.yaml');
  writeFileSync(
    path,
    [
      'tasks:',
      '  queues:',
      `    - { name: default, executor: local, maxRunning: ${defaultCapacity}, maxGpus: 0, ${MEMBERS} }`,
      `    - { name: tiny, executor: local, maxRunning: 1, maxGpus: 0, ${MEMBERS} }`,
      ...extraLines,
    ].join('\n'),
  );
  return path;
}

export interface TaskWorld {
  kiln: TestApp;
  api: ApiClient;
  tokens: Record<'admin' | 'alice' | 'bob' | 'viewer', string>;
  submit(
    body: Record<string, unknown>,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<ApiResponse>;
  waitForStatus(id: string, statuses: string[], timeoutMs?: number): Promise<Record<string, any>>;
}

export async function startTaskWorld(
  start: StartApp,
  env: Record<string, string> = {},
): Promise<TaskWorld> {
  const kiln = await start({
    env: {
      KILN_ADMIN_USERNAME: ADMIN,
      KILN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      KILN_LOGIN_THROTTLE_IP_LIMIT: '10000',
      KILN_CONFIG_FILE: queuesConfigFile(),
      KILN_STOP_GRACE_MS: '2000',
      ...env,
    },
  });
  const api = new ApiClient(kiln.url);
  const login = async (username: string, password: string) =>
    (await api.post('/auth/login', { username, password })).body.accessToken as string;
  const admin = await login(ADMIN, ADMIN_PASSWORD);
  for (const [username, roles] of [
    ['alice', ['member']],
    ['bob', ['member']],
    ['viewer', ['viewer']],
  ] as const) {
    const created = await api.post('/admin/users', { username, password: PASSWORD, roles }, admin);
    expect(created.status).toBe(201);
  }
  const tokens = {
    admin,
    alice: await login('alice', PASSWORD),
    bob: await login('bob', PASSWORD),
    viewer: await login('viewer', PASSWORD),
  };
  return {
    kiln,
    api,
    tokens,
    submit: (body, token = tokens.alice, headers = {}) =>
      api.request('POST', '/tasks', { body, token, headers }),
    async waitForStatus(id, statuses, timeoutMs = 30_000) {
      let task: Record<string, any> = {};
      const result = await waitUntil(
        async () => {
          task = (await api.get(`/tasks/${id}`, tokens.admin)).body;
          return statuses.includes(task.status);
        },
        { timeoutMs, intervalMs: 100 },
      );
      if (!result.satisfied) {
        throw new Error(
          `task ${id} is ${task.status}, not ${statuses.join('|')}: ${JSON.stringify(task)}`,
        );
      }
      return task;
    },
  };
}

const shell = (script: string) => ({ command: ['/bin/sh', '-c', script] });

export function taskLifecycleScenarios(start: StartApp, env: Record<string, string> = {}): void {
  let world: TaskWorld;

  beforeAll(async () => {
    world = await startTaskWorld(start, env);
  }, 60_000);

  afterAll(async () => {
    await world?.kiln.close();
  });

  it('trains the example to success with metrics, progress, logs and a model artifact', async () => {
    const { api, tokens } = world;
    const stream = await openSse(`${world.kiln.url}/api/v1/events`, tokens.alice);
    const submitted = await world.submit({
      name: 'logistic regression',
      command: ['python3', join(EXAMPLES, 'logistic_regression.py')],
      hyperparameters: { epochs: 20, samples: 500, learning_rate: 0.5 },
      labels: { team: 'vision' },
    });
    expect(submitted.status).toBe(201);
    expect(submitted.headers.get('location')).toBe(`/api/v1/tasks/${submitted.body.id}`);
    const id = submitted.body.id as string;
    const task = await world.waitForStatus(id, FINAL, 60_000);
    expect(task).toMatchObject({ status: 'succeeded', exitCode: 0, progress: 1, attempt: 1 });

    const metrics = await api.get(`/tasks/${id}/metrics?names=loss&maxPoints=10`, tokens.alice);
    expect(metrics.status).toBe(200);
    const loss = metrics.body.series.find((s: { name: string }) => s.name === 'loss');
    expect(loss.points.length).toBeGreaterThan(1);
    expect(loss.points.length).toBeLessThanOrEqual(10);
    expect(loss.points[loss.points.length - 1].value).toBeLessThan(loss.points[0].value);

    const logs = await api.get(`/tasks/${id}/logs?tail=5`, tokens.alice);
    expect(logs.status).toBe(200);
    expect(logs.headers.get('content-type')).toContain('text/plain');
    expect(logs.text.trim().split('\n').length).toBeLessThanOrEqual(5);

    const artifacts = await api.get(`/tasks/${id}/artifacts`, tokens.alice);
    expect(artifacts.body.entries.map((e: { path: string }) => e.path)).toContain('model.json');
    const model = await fetch(`${world.kiln.url}/api/v1/tasks/${id}/artifacts/model.json`, {
      headers: { authorization: `Bearer ${tokens.alice}` },
    });
    expect(model.status).toBe(200);
    expect(await model.json()).toEqual(expect.objectContaining({}));
    const escape = await api.get(
      `/tasks/${id}/artifacts/..%2F..%2Fhyperparameters.json`,
      tokens.alice,
    );
    expect(escape.status).toBe(404);
    const percentInName = await api.get(`/tasks/${id}/artifacts/100%25.txt`, tokens.alice);
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
    const ids = stream.events.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  }, 90_000);

  it('retries a failing command with backoff, then fails with its exit code', async () => {
    const submitted = await world.submit({
      name: 'always fails',
      ...shell('echo trying; exit 3'),
      maxRetries: 2,
      retryBackoffSeconds: 1,
    });
    const task = await world.waitForStatus(submitted.body.id, FINAL, 30_000);
    expect(task).toMatchObject({ status: 'failed', exitCode: 3, attempt: 3, retriesUsed: 2 });
    const attempts = await world.api.get(`/tasks/${task.id}/attempts`, world.tokens.alice);
    expect(attempts.body.map((a: { exitCode: number }) => a.exitCode)).toEqual([3, 3, 3]);
    const events = (await world.api.get(`/tasks/${task.id}/events`, world.tokens.alice)).body;
    const retries = events.filter((e: { reason: string }) =>
      /retry \d of 2 in \d+ s/.test(e.reason ?? ''),
    );
    expect(retries).toHaveLength(2);
    // each retry waited: the next attempt was queued no earlier than the backoff allowed
    const byNumber = attempts.body as Array<{ queuedAt: string; finishedAt: string }>;
    for (let n = 1; n < byNumber.length; n++) {
      expect(Date.parse(byNumber[n].queuedAt)).toBeGreaterThanOrEqual(
        Date.parse(byNumber[n - 1].finishedAt),
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
    const task = await world.waitForStatus(submitted.body.id, FINAL);
    expect(task).toMatchObject({ status: 'failed', exitCode: 2, attempt: 1 });
    expect(task.failureReason).toContain('not retried');
  });

  it('times out a run that sleeps past its timeout', async () => {
    const submitted = await world.submit({
      name: 'sleeper',
      command: ['sleep', '30'],
      timeoutSeconds: 1,
    });
    const task = await world.waitForStatus(submitted.body.id, FINAL, 20_000);
    expect(task.status).toBe('timed_out');
    expect(task.failureReason).toContain('timeout');
  }, 30_000);

  it('cancels pending, running and finished tasks as each state allows', async () => {
    const blocker = await world.submit({
      name: 'holds the slot',
      queue: 'tiny',
      command: ['sleep', '30'],
    });
    await world.waitForStatus(blocker.body.id, ['running']);
    const waiting = await world.submit({ name: 'waits', queue: 'tiny', command: ['true'] });
    const detail = await world.api.get(`/tasks/${waiting.body.id}`, world.tokens.alice);
    expect(detail.body.status).toBe('pending');
    expect(detail.body.waiting.position).toBe(1);
    expect(detail.body.waiting.reasons.join(' ')).toContain('queue tiny is at capacity');

    const cancelledPending = await world.api.post(
      `/tasks/${waiting.body.id}/cancel`,
      {},
      world.tokens.alice,
    );
    expect(cancelledPending.body.status).toBe('cancelled');

    const cancelling = await world.api.post(
      `/tasks/${blocker.body.id}/cancel`,
      {},
      world.tokens.alice,
    );
    expect(['cancelling', 'cancelled']).toContain(cancelling.body.status);
    const cancelled = await world.waitForStatus(blocker.body.id, FINAL);
    expect(cancelled.status).toBe('cancelled');

    const again = await world.api.post(`/tasks/${blocker.body.id}/cancel`, {}, world.tokens.alice);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('cancelled');
    const done = await world.submit({ name: 'quick', command: ['true'] });
    await world.waitForStatus(done.body.id, ['succeeded']);
    const tooLate = await world.api.post(`/tasks/${done.body.id}/cancel`, {}, world.tokens.alice);
    expect(tooLate.status).toBe(409);
    expect(tooLate.headers.get('content-type')).toContain('application/problem+json');

    const retried = await world.api.post(`/tasks/${blocker.body.id}/retry`, {}, world.tokens.alice);
    expect(retried.body.status).toBe('pending');
    await world.waitForStatus(blocker.body.id, ['running']);
    await world.api.post(`/tasks/${blocker.body.id}/cancel`, {}, world.tokens.alice);
    await world.waitForStatus(blocker.body.id, ['cancelled']);
  }, 60_000);

  it('adopts a run whose launch did not record its handle, and stops it on cancel', async () => {
    // What a worker that died between starting a run and recording its handle leaves.
    const forgetHandle = (taskId: string) =>
      world.kiln.app
        .get(DataSource)
        .getRepository(TaskAttempt)
        .update({ taskId }, { handle: null });
    const logShows = async (id: string, text: string) =>
      (
        await waitUntil(
          async () =>
            (await world.api.get(`/tasks/${id}/logs`, world.tokens.alice)).text.includes(text),
          { timeoutMs: 15_000 },
        )
      ).satisfied;

    const finishing = await world.submit({
      name: 'handle lost',
      ...shell('echo started; sleep 2'),
    });
    expect(await logShows(finishing.body.id, 'started')).toBe(true);
    await forgetHandle(finishing.body.id);
    // long before KILN_LAUNCH_GRACE_SECONDS (60 s), and without a retry beside it
    const finished = await world.waitForStatus(finishing.body.id, FINAL, 15_000);
    expect(finished).toMatchObject({ status: 'succeeded', attempt: 1 });

    const marker = join(tempDataDir('kiln-adopt-'), 'pid');
    const cancelled = await world.submit({
      name: 'handle lost, then cancelled',
      ...shell(`echo $$ > ${marker}; echo started; exec sleep 60`),
    });
    expect(await logShows(cancelled.body.id, 'started')).toBe(true);
    await forgetHandle(cancelled.body.id);
    await world.api.post(`/tasks/${cancelled.body.id}/cancel`, {}, world.tokens.alice);
    await world.waitForStatus(cancelled.body.id, ['cancelled']);
    await expect(
      readProcessIdentity(Number(readFileSync(marker, 'utf8'))),
    ).resolves.toBeUndefined();
  }, 60_000);

  it('starts a task only after the tasks it depends on succeed, and fails it when one fails', async () => {
    const first = await world.submit({ name: 'prepare data', command: ['sleep', '1'] });
    const next = await world.submit({
      name: 'train',
      command: ['true'],
      dependsOn: [first.body.id],
    });
    expect(next.body.dependsOn).toEqual([first.body.id]);
    const waiting = (await world.api.get(`/tasks/${next.body.id}`, world.tokens.alice)).body;
    expect(waiting.status).toBe('pending');
    expect(waiting.waiting.reasons.join(' ')).toContain(`depends on: ${first.body.id}`);
    const trained = await world.waitForStatus(next.body.id, FINAL);
    expect(trained.status).toBe('succeeded');
    const events = (await world.api.get(`/tasks/${first.body.id}/events`, world.tokens.alice)).body;
    const firstDone = Date.parse(events[events.length - 1].occurredAt);
    expect(Date.parse(trained.startedAt)).toBeGreaterThanOrEqual(firstDone);

    const broken = await world.submit({ name: 'bad prep', ...shell('exit 4') });
    const doomed = await world.submit({
      name: 'never runs',
      command: ['true'],
      dependsOn: [broken.body.id],
    });
    const failed = await world.waitForStatus(doomed.body.id, FINAL);
    expect(failed).toMatchObject({ status: 'failed', attempt: 0 });
    expect(failed.failureReason).toBe(`task ${broken.body.id} it depends on ended failed`);

    const unknown = await world.submit({
      name: 'x',
      command: ['true'],
      dependsOn: ['5b6c0e1e-9f43-4a43-9d6e-3c1f2a4b5c6d'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('dependsOn');
    const othersTask = await world.submit({ name: 'bob', command: ['true'] }, world.tokens.bob);
    const notMine = await world.submit({
      name: 'x',
      command: ['true'],
      dependsOn: [othersTask.body.id],
    });
    expect(notMine.status).toBe(400);
  }, 30_000);

  it('returns the first task for a retried submit with the same Idempotency-Key', async () => {
    const body = { name: 'idempotent', command: ['true'] };
    const first = await world.submit(body, undefined, { 'idempotency-key': 'submit-42' });
    const second = await world.submit(body, undefined, { 'idempotency-key': 'submit-42' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const other = await world.submit({ ...body, name: 'different' }, undefined, {
      'idempotency-key': 'submit-42',
    });
    expect(other.status).toBe(422);
  });

  it('updates with If-Match and refuses a stale version with 412', async () => {
    const blocker = await world.submit({
      name: 'holds tiny',
      queue: 'tiny',
      command: ['sleep', '30'],
    });
    await world.waitForStatus(blocker.body.id, ['running']);
    const created = await world.submit({ name: 'to rename', queue: 'tiny', command: ['true'] });
    const etag = created.headers.get('etag')!;
    const renamed = await world.api.request('PATCH', `/tasks/${created.body.id}`, {
      token: world.tokens.alice,
      body: { name: 'renamed', labels: { stage: 'two' } },
      headers: { 'if-match': etag },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'renamed', labels: { stage: 'two' } });
    const stale = await world.api.request('PATCH', `/tasks/${created.body.id}`, {
      token: world.tokens.alice,
      body: { name: 'again' },
      headers: { 'if-match': etag },
    });
    expect(stale.status).toBe(412);
    const listed = await world.api.get('/tasks?label=stage%3Dtwo', world.tokens.alice);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toEqual([created.body.id]);
    const reprioritized = await world.api.patch(
      `/tasks/${created.body.id}`,
      { priority: 5 },
      world.tokens.alice,
    );
    expect(reprioritized.body.priority).toBe(5);
    await world.api.post(`/tasks/${blocker.body.id}/cancel`, {}, world.tokens.alice);
    await world.waitForStatus(created.body.id, ['succeeded']);
    const tooLate = await world.api.patch(
      `/tasks/${created.body.id}`,
      { priority: 1 },
      world.tokens.alice,
    );
    expect(tooLate.status).toBe(400);
  });

  it('keeps members to their own tasks and viewers to reading', async () => {
    const mine = await world.submit({ name: 'alice only', command: ['true'] });
    const asBob = await world.api.get(`/tasks/${mine.body.id}`, world.tokens.bob);
    expect(asBob.status).toBe(404);
    const bobCancels = await world.api.post(`/tasks/${mine.body.id}/cancel`, {}, world.tokens.bob);
    expect(bobCancels.status).toBe(404);
    const bobList = await world.api.get('/tasks?limit=200', world.tokens.bob);
    expect(
      bobList.body.items.some((t: { ownerId: string }) => t.ownerId === mine.body.ownerId),
    ).toBe(false);
    const asViewer = await world.api.get(`/tasks/${mine.body.id}`, world.tokens.viewer);
    expect(asViewer.status).toBe(200);
    const withSecret = await world.submit({
      name: 'has a credential',
      command: ['true'],
      env: { WANDB_API_KEY: 'alice-secret-value' },
    });
    expect(withSecret.body.env).toEqual({ WANDB_API_KEY: 'alice-secret-value' });
    const secretAsViewer = await world.api.get(`/tasks/${withSecret.body.id}`, world.tokens.viewer);
    expect(secretAsViewer.body.env).toEqual({ WANDB_API_KEY: '[hidden]' });
    const listAsViewer = await world.api.get('/tasks?limit=200', world.tokens.viewer);
    expect(listAsViewer.text).not.toContain('alice-secret-value');
    const asAdmin = await world.api.get(`/tasks/${withSecret.body.id}`, world.tokens.admin);
    expect(asAdmin.body.env).toEqual({ WANDB_API_KEY: 'alice-secret-value' });
    const viewerSubmits = await world.submit(
      { name: 'nope', command: ['true'] },
      world.tokens.viewer,
    );
    expect(viewerSubmits.status).toBe(403);
  });

  it('refuses bad input with field errors and stores nothing', async () => {
    const before = (await world.api.get('/tasks?limit=200', world.tokens.alice)).body.items.length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'x', command: ['true'], ownerId: 'someone' }, 'ownerId'],
      [{ name: 'x', command: 'true' }, 'command'],
      [{ name: 'x', command: ['true'], resources: { cpu: -1 } }, 'resources.cpu'],
      [{ name: 'x', command: ['true'], resources: { gpu: 1.5 } }, 'resources.gpu'],
      [{ name: 'x', command: ['true'], queue: 'nowhere' }, 'queue'],
      [
        { name: 'x', command: ['true'], env: { BIG: 'x'.repeat(16000), MORE: 'y'.repeat(1000) } },
        'env',
      ],
      [{ name: 'x', command: ['true'], env: { KILN_RUN_TOKEN: 'mine' } }, 'env'],
      [
        { name: 'x', command: ['true'], hyperparameters: { blob: 'z'.repeat(70_000) } },
        'hyperparameters',
      ],
      [{ name: 'x', command: ['true'], status: 'succeeded' }, 'status'],
      [{ name: 'x', command: ['true'], workingDir: '../../etc' }, 'workingDir'],
    ];
    for (const [body, field] of cases) {
      const response = await world.submit(body);
      expect({ field, status: response.status }).toEqual({ field, status: 400 });
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const tooMany = await world.api.get('/tasks?limit=100000', world.tokens.alice);
    expect(tooMany.status).toBe(400);
    const badStatus = await world.api.get('/tasks?status=bogus', world.tokens.alice);
    expect(badStatus.status).toBe(400);
    const after = (await world.api.get('/tasks?limit=200', world.tokens.alice)).body.items.length;
    expect(after).toBe(before);
  });

  it('accepts metrics from the run only with its own run token', async () => {
    const submitted = await world.submit({
      name: 'reports over REST',
      ...shell(
        'curl -s -o /dev/null -w "%{http_code}" -X POST "$KILN_API_URL/api/v1/tasks/$KILN_TASK_ID/metrics" ' +
          '-H "authorization: Bearer $KILN_RUN_TOKEN" -H "content-type: application/json" ' +
          `-d '{"points":[{"name":"acc","step":1,"value":0.9}],"progress":0.5}'`,
      ),
    });
    const task = await world.waitForStatus(submitted.body.id, FINAL);
    expect(task.status).toBe('succeeded');
    const logs = await world.api.get(`/tasks/${task.id}/logs`, world.tokens.alice);
    expect(logs.text.trim()).toBe('202');
    const metrics = await world.api.get(`/tasks/${task.id}/metrics`, world.tokens.alice);
    expect(metrics.body.series[0]).toMatchObject({
      name: 'acc',
      points: [{ step: 1, value: 0.9 }],
    });
    const forged = await world.api.request('POST', `/tasks/${task.id}/metrics`, {
      body: { points: [{ name: 'acc', value: 1 }] },
      headers: { authorization: `Bearer ${world.tokens.alice}` },
    });
    expect(forged.status).toBe(401);
  });

  it('follows a running log over SSE until the run ends', async () => {
    const submitted = await world.submit({
      name: 'talks',
      ...shell('for i in 1 2 3; do echo line $i; sleep 0.2; done'),
    });
    const stream = await openSse(
      `${world.kiln.url}/api/v1/tasks/${submitted.body.id}/logs/stream`,
      world.tokens.alice,
    );
    await stream.ended;
    const lines = stream.events.filter((e) => e.event === 'message').map((e) => e.data);
    expect(lines).toEqual(['line 1', 'line 2', 'line 3']);
    const end = stream.events.find((e) => e.event === 'end');
    expect(JSON.parse(end!.data)).toMatchObject({ status: 'succeeded' });
  }, 30_000);

  it('pages through filtered lists with keyset cursors, by creation or priority', async () => {
    const marker = `page-${Date.now()}`;
    const blocker = await world.submit({
      name: 'holds tiny',
      queue: 'tiny',
      command: ['sleep', '30'],
    });
    await world.waitForStatus(blocker.body.id, ['running']);
    const created: string[] = [];
    for (const priority of [1, 3, 2, 3, 1]) {
      const task = await world.submit({
        name: `${marker} p${priority}`,
        queue: 'tiny',
        priority,
        command: ['true'],
      });
      created.push(task.body.id);
    }
    const collect = async (query: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ApiResponse = await world.api.get(
          `/tasks?${query}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          world.tokens.alice,
        );
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        ids.push(...page.body.items.map((t: { id: string }) => t.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      return ids;
    };
    const byCreation = await collect(`nameContains=${marker.toUpperCase()}&status=pending`);
    expect(byCreation).toEqual([...created].reverse());
    const byPriority = await collect(`nameContains=${marker}&sort=priority`);
    expect(byPriority).toEqual([created[1], created[3], created[2], created[0], created[4]]);
    const detail = (await world.api.get(`/tasks/${created[1]}`, world.tokens.alice)).body;
    expect(detail.waiting.position).toBe(1);
    const bad = await world.api.get('/tasks?cursor=not-a-cursor', world.tokens.alice);
    expect(bad.status).toBe(400);
    await world.api.post(`/tasks/${blocker.body.id}/cancel`, {}, world.tokens.alice);
    for (const id of created) await world.api.post(`/tasks/${id}/cancel`, {}, world.tokens.alice);
  });

  it('resumes the event stream from Last-Event-ID without losing or repeating events', async () => {
    const first = await openSse(`${world.kiln.url}/api/v1/events`, world.tokens.alice);
    const one = await world.submit({ name: 'before the gap', command: ['true'] });
    await first.waitFor((e) => JSON.parse(e.data).taskId === one.body.id);
    first.close();
    const lastSeen = first.events[first.events.length - 1].id!;
    const two = await world.submit({ name: 'during the gap', command: ['true'] });
    await world.waitForStatus(two.body.id, ['succeeded']);
    const resumed = await openSse(`${world.kiln.url}/api/v1/events`, world.tokens.alice, {
      'last-event-id': lastSeen,
    });
    await resumed.waitFor((e) => {
      const data = JSON.parse(e.data);
      return data.taskId === two.body.id && data.to === 'succeeded';
    });
    resumed.close();
    const ids = resumed.events.map((e) => Number(e.id));
    expect(ids.every((id) => id > Number(lastSeen))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const gap = resumed.events
      .map((e) => JSON.parse(e.data))
      .filter((d) => d.taskId === two.body.id);
    expect(gap.filter((d) => d.kind === 'status').map((d) => d.to)).toEqual([
      'pending',
      'queued',
      'running',
      'succeeded',
    ]);
    // bob's stream never carries alice's tasks
    const bobs = await openSse(`${world.kiln.url}/api/v1/events`, world.tokens.bob, {
      'last-event-id': '0',
    });
    const mine = await world.submit(
      { name: 'bob should not see', command: ['true'] },
      world.tokens.bob,
    );
    await bobs.waitFor((e) => JSON.parse(e.data).taskId === mine.body.id);
    bobs.close();
    expect(bobs.events.every((e) => JSON.parse(e.data).ownerId === mine.body.ownerId)).toBe(true);
  });

  it('exposes task counts, transitions and the launch queue to Prometheus', async () => {
    const done = await world.submit({ name: 'counted', command: ['true'] });
    await world.waitForStatus(done.body.id, ['succeeded']);
    const text = await (await fetch(`${world.kiln.url}/metrics`)).text();
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.split(' ')[1]);
    };
    expect(value('kiln_task_transitions_total{from="running",to="succeeded"}')).toBeGreaterThan(0);
    expect(value('kiln_tasks{status="succeeded",queue="default"}')).toBeGreaterThan(0);
    expect(text).toMatch(/^kiln_launch_queue_jobs\{state="waiting"\} \d+$/m);
  });

  it('deletes a finished task with everything it left', async () => {
    const submitted = await world.submit({ name: 'short lived', command: ['true'] });
    await world.waitForStatus(submitted.body.id, ['succeeded']);
    const deleted = await world.api.delete(`/tasks/${submitted.body.id}`, world.tokens.alice);
    expect(deleted.status).toBe(204);
    expect((await world.api.get(`/tasks/${submitted.body.id}`, world.tokens.alice)).status).toBe(
      404,
    );
  });
}

/**
 * 200 tasks submitted at once against a queue of capacity 4: never more than 4 running,
 * every task launched exactly once (each run appends its id to a file), all succeed.
 */
export function taskConcurrencyScenario(start: StartApp, env: Record<string, string> = {}): void {
  const TASKS = 200;
  const CAPACITY = 4;
  let world: TaskWorld;

  beforeAll(async () => {
    world = await startTaskWorld(start, {
      KILN_CONFIG_FILE: queuesConfigFile(CAPACITY),
      KILN_USER_MAX_RUNNING: '100',
      ...env,
    });
  }, 60_000);

  afterAll(async () => {
    await world?.kiln.close();
  });

  it(`runs ${TASKS} tasks with at most ${CAPACITY} at once, each launched once`, async () => {
    const launches = join(tempDataDir('kiln-launches-'), 'launches.txt');
    const submits = await Promise.all(
      Array.from({ length: TASKS }, (_, n) =>
        world.submit({ name: `load ${n}`, ...shell(`echo "$KILN_TASK_ID" >> ${launches}`) }),
      ),
    );
    expect(submits.map((s) => s.status)).toEqual(Array(TASKS).fill(201));
    const ids = submits.map((s) => s.body.id as string);
    const done = await waitUntil(
      async () => {
        const page = await world.api.get(`/tasks?status=succeeded&limit=200`, world.tokens.alice);
        return page.body.items.length === TASKS;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    if (!done.satisfied) {
      const others = await world.api.get(
        '/tasks?status=pending,queued,running,failed,lost,cancelling&limit=200',
        world.tokens.alice,
      );
      const stuck = others.body.items.map((t: Record<string, unknown>) => ({
        id: t.id,
        status: t.status,
        attempt: t.attempt,
        failureReason: t.failureReason,
      }));
      throw new Error(`not every task succeeded: ${JSON.stringify(stuck)}`);
    }
    const launched = readFileSync(launches, 'utf8').trim().split('\n');
    expect(launched).toHaveLength(TASKS);
    expect(new Set(launched)).toEqual(new Set(ids));

    const intervals: Array<[number, number]> = [];
    for (const id of ids) {
      const attempts = (await world.api.get(`/tasks/${id}/attempts`, world.tokens.alice)).body;
      expect(attempts).toHaveLength(1);
      intervals.push([Date.parse(attempts[0].startedAt), Date.parse(attempts[0].finishedAt)]);
    }
    expect(maxOverlap(intervals)).toBeLessThanOrEqual(CAPACITY);
  }, 180_000);
}

/** Most intervals open at one instant; an end at the same instant as a start frees first. */
function maxOverlap(intervals: Array<[number, number]>): number {
  const points = intervals.flatMap(([start, end]) => [
    [start, 1],
    [end, -1],
  ]);
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, delta] of points) most = Math.max(most, (open += delta));
  return most;
}

/**
 * Cancelling a task in `queued`: on an api-only process the dispatcher queues tasks
 * but no worker launches them, so the task stays queued until it is cancelled, and the
 * launch job that still waits in the queue must never start it later.
 */
export function queuedCancelScenario(start: StartApp, env: Record<string, string> = {}): void {
  let world: TaskWorld;

  beforeAll(async () => {
    world = await startTaskWorld(start, { KILN_ROLE: 'api', ...env });
  }, 60_000);

  afterAll(async () => {
    await world?.kiln.close();
  });

  it('cancels a queued task at once, before any worker launches it', async () => {
    const submitted = await world.submit({ name: 'queued only', command: ['true'] });
    await world.waitForStatus(submitted.body.id, ['queued']);
    const cancelled = await world.api.post(
      `/tasks/${submitted.body.id}/cancel`,
      {},
      world.tokens.alice,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const events = (await world.api.get(`/tasks/${submitted.body.id}/events`, world.tokens.alice))
      .body;
    expect(events.map((e: { to: string }) => e.to)).toEqual(['pending', 'queued', 'cancelled']);
  });
}
