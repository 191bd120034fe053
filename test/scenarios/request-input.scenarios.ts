// Input a hostile or careless client sends: deep JSON, text no database can store, odd
// dates, partial objects, nulls and empty bodies. Each answers 400 problem+json (or
// works), never 500, and nothing bad is stored. Written once, run on the embedded
// default (test/e2e/request-input.e2e-spec.ts) and on PostgreSQL + Redis
// (test/integration/request-input.int-spec.ts), which refuses more than SQLite does.
import { unwrap } from '@kiln/client';
import { clientAs } from '../support/kiln-clients';
import { queuesConfigFile, StartApp, startTaskWorld, TaskWorld } from './tasks/task-world';

const PROBLEM = 'application/problem+json';
const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\ud800b';
const PASSWORD = 'a long enough password';
const sleepForever = { command: ['/bin/sh', '-c', 'sleep 600'] };

/** A run that reports a point with a week date, then a good one, printing each status. */
const REPORTS_TWO_POINTS = `
import json, os, urllib.request, urllib.error
def post(point):
    url = f"{os.environ['KILN_API_URL']}/api/v1/tasks/{os.environ['KILN_TASK_ID']}/metrics"
    headers = {'content-type': 'application/json', 'authorization': 'Bearer ' + os.environ['KILN_RUN_TOKEN']}
    request = urllib.request.Request(url, json.dumps({'points': [point]}).encode(), headers, method='POST')
    try:
        return urllib.request.urlopen(request).status
    except urllib.error.HTTPError as error:
        return error.code
print('week date', post({'name': 'loss', 'value': 1, 'time': '2024-W01-1'}))
print('rfc 3339', post({'name': 'loss', 'value': 2, 'time': '2024-01-01T00:00:00Z'}))
`;

interface Problem {
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

export function requestInputScenarios(start: StartApp): void {
  let world: TaskWorld;

  beforeAll(async () => {
    world = await startTaskWorld(start, {
      KILN_USER_MAX_PENDING: '2',
      KILN_CONFIG_FILE: queuesConfigFile(4, [
        '    - { name: roomy, executor: local, maxRunning: 4, maxGpus: 0, allowedRoles: [admin, member], defaultResources: { cpu: 2, memoryMiB: 4096 } }',
      ]),
    });
  }, 60_000);

  afterAll(async () => {
    await world?.kiln.close();
  });

  /** Sends a raw body, as a client that builds its own JSON would. */
  const send = (method: string, path: string, body: string | undefined, token?: string) =>
    fetch(`${world.kiln.url}/api/v1${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body,
    });

  /** The public API as the holder of `token`, through the generated client. */
  const as = (token: string) => clientAs(world.kiln.url, token).api;
  const cancel = (id: string, token = world.tokens.alice) =>
    as(token).POST('/api/v1/tasks/{id}/cancel', { params: { path: { id } } });
  const me = (token: string) => unwrap(as(token).GET('/api/v1/auth/me'));
  const taskCount = async () => {
    const query = { limit: 200 };
    const page = await unwrap(as(world.tokens.admin).GET('/api/v1/tasks', { params: { query } }));
    return page.items.length;
  };

  const get = (path: string, token: string) =>
    fetch(`${world.kiln.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });

  async function expectBadRequest(response: Response): Promise<Problem> {
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain(PROBLEM);
    return (await response.json()) as Problem;
  }

  /** The fields errors[] names, each once. */
  const fieldsOf = (problem: Problem): string[] => [
    ...new Set((problem.errors ?? []).map((error) => error.field)),
  ];

  describe('deeply nested JSON', () => {
    it('answers 400 before authentication, login included', async () => {
      const deep = `${'['.repeat(1500)}${']'.repeat(1500)}`;
      const problem = await expectBadRequest(await send('POST', '/auth/login', deep));
      expect(problem.detail).toMatch(/nests deeper than \d+ levels/);
    });

    it('rejects an 800 KB nested body without parsing it', async () => {
      const deep = `{"name":"x","hyperparameters":${'['.repeat(400_000)}${']'.repeat(400_000)}}`;
      const response = await send('POST', '/tasks', deep, world.tokens.alice);
      await expectBadRequest(response);
    });

    it('accepts nesting within the limit, brackets inside strings not counted', async () => {
      const response = await world.submit({
        name: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
        hyperparameters: { a: { b: { c: [[[1]]] } } },
        ...sleepForever,
      });
      expect(response.response.status).toBe(201);
      await cancel(response.data!.id);
    });
  });

  describe('text no database can store', () => {
    it.each([
      ['a task name', { name: NUL, command: ['true'] }, 'name'],
      ['a command argument', { name: 'x', command: ['echo', NUL] }, 'command.1'],
      ['an env value', { name: 'x', command: ['true'], env: { A: NUL } }, 'env.A'],
      [
        'a hyperparameter key',
        { name: 'x', command: ['true'], hyperparameters: { [NUL]: 1 } },
        'hyperparameters',
      ],
      [
        'a label with a lone surrogate',
        { name: 'x', command: ['true'], labels: { team: LONE_SURROGATE } },
        'labels.team',
      ],
    ])('refuses NUL or a lone surrogate in %s', async (_what, body, field) => {
      const before = await taskCount();
      const problem = await expectBadRequest(
        await send('POST', '/tasks', JSON.stringify(body), world.tokens.alice),
      );
      expect(fieldsOf(problem)).toContain(field);
      expect(await taskCount()).toBe(before);
    });

    it('refuses them in a display name, an email, a token name and query strings', async () => {
      const bob = await me(world.tokens.bob);
      const admin = world.tokens.admin;
      const patchUser = (body: unknown) =>
        send('PATCH', `/admin/users/${bob.id}`, JSON.stringify(body), admin);
      await expectBadRequest(await patchUser({ displayName: NUL }));
      await expectBadRequest(await patchUser({ email: `${LONE_SURROGATE}@example.com` }));
      await expectBadRequest(
        await send('POST', '/auth/tokens', JSON.stringify({ name: NUL }), world.tokens.bob),
      );
      for (const query of ['nameContains=a%00b', 'label=team%3Da%00b', 'cursor=a%00b']) {
        await expectBadRequest(await get(`/tasks?${query}`, world.tokens.alice));
      }
    });
  });

  describe('cursors', () => {
    const cursor = (value: unknown) =>
      Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
    const createdAt = '2026-01-01T00:00:00.000Z';
    const id = '7f0e3a52-8a61-4c1b-9d54-5c0f7c5c1a11';

    it.each([
      ['an id that is not a uuid', { c: createdAt, id: 'not-a-uuid' }],
      ['a priority of 1e300', { c: createdAt, id, p: 1e300 }],
      ['a date in year -271821', { c: '-271821-04-20T00:00:00.000Z', id }],
      ['a week date', { c: '2024-W01-1', id }],
    ])('answers 400 to a task cursor with %s', async (_what, value) => {
      await expectBadRequest(
        await get(`/tasks?sort=priority&cursor=${cursor(value)}`, world.tokens.alice),
      );
    });

    it('answers 400 to a user cursor holding a NUL', async () => {
      await expectBadRequest(
        await get(`/admin/users?cursor=${cursor({ u: NUL })}`, world.tokens.admin),
      );
    });
  });

  describe('dates', () => {
    it.each([
      '2024-W01-1',
      '20240101T000000Z',
      '2024-01-01T10:00:00,5Z',
      '-271821-04-20T00:00:00Z',
      '2024-02-30T00:00:00Z',
      '2024-01-01',
    ])('answers 400 to createdAfter=%s', async (value) => {
      const problem = await expectBadRequest(
        await get(`/tasks?createdAfter=${encodeURIComponent(value)}`, world.tokens.alice),
      );
      expect(fieldsOf(problem)).toEqual(['createdAfter']);
    });

    it('refuses a metric point with a week date, and the task’s metrics stay readable', async () => {
      const task = await world.submit({
        name: 'reports',
        command: ['python3', '-c', REPORTS_TWO_POINTS],
      });
      await world.waitForStatus(task.data!.id, ['succeeded']);
      const path = { id: task.data!.id };
      const logs = await unwrap(
        as(world.tokens.alice).GET('/api/v1/tasks/{id}/logs', {
          params: { path },
          parseAs: 'text',
        }),
      );
      expect(logs).toContain('week date 400');
      expect(logs).toContain('rfc 3339 202');
      const metrics = await unwrap(
        as(world.tokens.alice).GET('/api/v1/tasks/{id}/metrics', { params: { path } }),
      );
      expect(metrics.series).toEqual([
        {
          name: 'loss',
          attempt: 1,
          points: [{ step: null, value: 2, time: '2024-01-01T00:00:00.000Z' }],
        },
      ]);
    });

    it('filters by an RFC 3339 createdAfter', async () => {
      const query = { createdAfter: '2000-01-01T00:00:00+02:00' };
      const { response } = await as(world.tokens.alice).GET('/api/v1/tasks', { params: { query } });
      expect(response.status).toBe(200);
    });

    it.each(['2030-W01', '20300101T000000Z', '2030-01-01T10:00:00,5Z'])(
      'refuses an API token expiring at %s, stores nothing, and still lists tokens',
      async (expiresAt) => {
        await expectBadRequest(
          await send(
            'POST',
            '/auth/tokens',
            JSON.stringify({ name: 'ci', expiresAt }),
            world.tokens.bob,
          ),
        );
        const tokens = await unwrap(as(world.tokens.bob).GET('/api/v1/auth/tokens'));
        expect(tokens.items.map((token) => token.name)).not.toContain('ci');
      },
    );
  });

  describe('resources', () => {
    it('fills the fields left out with the defaults of the queue', async () => {
      const response = await world.submit({
        name: 'roomy',
        queue: 'roomy',
        resources: { gpu: 0 },
        ...sleepForever,
      });
      expect(response.response.status).toBe(201);
      expect(response.data!.resources).toEqual({ cpu: 2, memoryMiB: 4096, gpu: 0 });
      await cancel(response.data!.id);
    });

    it.each([[{ gpu: 0 }], [{ cpu: 2 }], [{}]])(
      'fills the fields left out of %j with the defaults',
      async (resources) => {
        const response = await world.submit({ name: 'partial', resources, ...sleepForever });
        expect(response.response.status).toBe(201);
        expect(response.data!.resources).toEqual({ cpu: 1, memoryMiB: 1024, gpu: 0, ...resources });
        await cancel(response.data!.id);
      },
    );
  });

  describe('null in PATCH bodies', () => {
    it.each([[{ displayName: null }], [{ roles: null }], [{ disabled: null }]])(
      'answers 400 to %j for a user and changes nothing',
      async (body) => {
        const { id } = await me(world.tokens.viewer);
        const problem = await expectBadRequest(
          await send('PATCH', `/admin/users/${id}`, JSON.stringify(body), world.tokens.admin),
        );
        expect(fieldsOf(problem)).toEqual(Object.keys(body));
        const after = await unwrap(
          as(world.tokens.admin).GET('/api/v1/admin/users/{id}', { params: { path: { id } } }),
        );
        expect(after).toMatchObject({ roles: ['viewer'], disabled: false });
      },
    );

    it.each([[{ name: null }], [{ labels: null }]])(
      'answers 400 to %j for a task',
      async (body) => {
        const task = await world.submit({ name: 'patched', ...sleepForever });
        const problem = await expectBadRequest(
          await send('PATCH', `/tasks/${task.data!.id}`, JSON.stringify(body), world.tokens.alice),
        );
        expect(fieldsOf(problem)).toEqual(Object.keys(body));
        await cancel(task.data!.id);
      },
    );
  });

  describe('pending limits (KILN_USER_MAX_PENDING=2)', () => {
    it('answers 429 to a retry that would take the owner past the limit, like a submit', async () => {
      const bob = world.tokens.bob;
      const retried = await world.submit({ name: 'to retry', ...sleepForever }, 'bob');
      await cancel(retried.data!.id, bob);
      await world.waitForStatus(retried.data!.id, ['cancelled']);
      const blocker = await world.submit({ name: 'blocker', ...sleepForever }, 'bob');
      const waiting = { ...sleepForever, dependsOn: [blocker.data!.id] };
      expect((await world.submit({ name: 'waits 1', ...waiting }, 'bob')).response.status).toBe(
        201,
      );
      expect((await world.submit({ name: 'waits 2', ...waiting }, 'bob')).response.status).toBe(
        201,
      );
      expect(
        (await world.submit({ name: 'one too many', ...waiting }, 'bob')).response.status,
      ).toBe(429);

      const path = { id: retried.data!.id };
      const retry = await as(bob).POST('/api/v1/tasks/{id}/retry', { params: { path } });
      expect(retry.response.status).toBe(429);
      expect(retry.response.headers.get('retry-after')).toMatch(/^\d+$/);
      const task = await unwrap(as(bob).GET('/api/v1/tasks/{id}', { params: { path } }));
      expect(task.status).toBe('cancelled');
      const query = { status: ['pending' as const] };
      const pending = await unwrap(as(bob).GET('/api/v1/tasks', { params: { query } }));
      expect(pending.items).toHaveLength(2);

      await cancel(blocker.data!.id, bob);
      await world.waitForStatus(blocker.data!.id, ['cancelled']);
    });
  });

  describe('null in optional fields of a create', () => {
    const taskFields = [
      'description',
      'labels',
      'queue',
      'priority',
      'shell',
      'image',
      'workingDir',
      'env',
      'hyperparameters',
      'resources',
      'maxRetries',
      'retryBackoffSeconds',
      'timeoutSeconds',
      'dependsOn',
      'noRetryExitCodes',
    ];

    it.each(taskFields)(
      'answers a submit with %s: null with 201 or 400, never 500',
      async (field) => {
        const response = await world.submit({ name: 'nulls', ...sleepForever, [field]: null });
        expect([201, 400]).toContain(response.response.status);
        if (response.response.status === 201) await cancel(response.data!.id);
      },
    );

    it.each([
      [
        '/admin/users',
        { username: 'nullish', password: PASSWORD, email: null, displayName: null, roles: null },
      ],
      ['/auth/tokens', { name: 'nullish', expiresAt: null, scopes: null }],
    ])(
      'answers %s with nulls in its optional fields with 201 or 400, never 500',
      async (path, body) => {
        const response = await send('POST', path, JSON.stringify(body), world.tokens.admin);
        expect([201, 400]).toContain(response.status);
        await response.body?.cancel();
      },
    );
  });

  describe('body-less actions', () => {
    it('cancels, retries and clones with content-type: application/json and no body', async () => {
      const task = await world.submit({ name: 'no body', ...sleepForever });
      const id = task.data!.id;
      const cancelled = await send('POST', `/tasks/${id}/cancel`, undefined, world.tokens.alice);
      expect(cancelled.status).toBe(200);
      await world.waitForStatus(id, ['cancelled']);
      const cloned = await send('POST', `/tasks/${id}/clone`, undefined, world.tokens.alice);
      expect(cloned.status).toBe(201);
      const cloneId = ((await cloned.json()) as { id: string }).id;
      await send('POST', `/tasks/${cloneId}/cancel`, '', world.tokens.alice);
      await world.waitForStatus(cloneId, ['cancelled']);
      const retried = await send('POST', `/tasks/${id}/retry`, '', world.tokens.alice);
      expect(retried.status).toBe(200);
      await send('POST', `/tasks/${id}/cancel`, undefined, world.tokens.alice);
      await world.waitForStatus(id, ['cancelled']);
    });

    it('still answers 400 to a submit with no body', async () => {
      await expectBadRequest(await send('POST', '/tasks', undefined, world.tokens.alice));
    });
  });
}
