// Queues, quotas and the audit log administered over the API, written once and run on
// the embedded default (test/e2e/administration.e2e-spec.ts) and on PostgreSQL + Redis
// (test/integration/administration.int-spec.ts). One running Kiln, in this order.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { unwrap, type AuditQuery, type components } from '@kiln/client';
import { readPages } from '../../support/cursor-pages';
import { sendRaw } from '../../support/raw-request';
import { FINAL, shell, StartApp, startTaskWorld, TaskWorld } from '../tasks/task-world';

type QueueCreation = components['schemas']['CreateQueueDto'];
type QueueChange = components['schemas']['UpdateQueueDto'];

const SPEC = resolve(__dirname, '..', '..', '..', 'src', 'openapi', 'openapi.json');
const LONG = shell('sleep 60');
const QUICK = shell('true');

function expectProblem(answer: { response: Response }, status: number): void {
  expect(answer.response.status).toBe(status);
  expect(answer.response.headers.get('content-type')).toContain('application/problem+json');
}

/**
 * A body the spec forbids, sent through the typed client all the same: the server's
 * validation is what these cases test, and its answer is still read as the spec says.
 */
function refusedBody<T>(body: unknown): T {
  return body as T;
}

export function administrationScenarios(start: StartApp, env: Record<string, string> = {}): void {
  let world: TaskWorld;
  let ids: Record<'alice' | 'bob', string>;

  beforeAll(async () => {
    world = await startTaskWorld(start, env);
    ids = {
      alice: (await unwrap(world.as.alice.GET('/api/v1/auth/me'))).id,
      bob: (await unwrap(world.as.bob.GET('/api/v1/auth/me'))).id,
    };
  }, 60_000);

  afterAll(async () => {
    await world?.kiln.close();
  });

  const admin = () => world.as.admin;
  const ofQueue = (name: string) => ({ params: { path: { name } } });
  const ofTask = (id: string) => ({ params: { path: { id } } });
  const ofUser = (userId: string) => ({ params: { path: { userId } } });
  const createQueue = (body: Partial<QueueCreation>) =>
    admin().POST('/api/v1/admin/queues', {
      body: { runtime: 'local', maxGpus: 0, ...body } as QueueCreation,
    });
  const changeQueue = (name: string, body: QueueChange) =>
    admin().PATCH('/api/v1/admin/queues/{name}', { ...ofQueue(name), body });
  const readTask = (id: string) => unwrap(admin().GET('/api/v1/tasks/{id}', ofTask(id)));
  const statusOf = async (id: string) => (await readTask(id)).status;
  const pendingReasons = async (id: string): Promise<string[]> =>
    (await readTask(id)).waiting?.reasons ?? [];
  const cancel = (id: string) =>
    unwrap(world.as.alice.POST('/api/v1/tasks/{id}/cancel', ofTask(id)));
  const audit = (query: AuditQuery) => admin().GET('/api/v1/admin/audit', { params: { query } });

  describe('queues', () => {
    it('lists the queues seeded from the configuration with their live figures', async () => {
      const list = await admin().GET('/api/v1/admin/queues');
      expect(list.response.status).toBe(200);
      const names = list.data!.items.map((queue) => queue.name);
      expect(names).toEqual(expect.arrayContaining(['default', 'tiny']));
      expect(list.data!.items.find((queue) => queue.name === 'tiny')).toMatchObject({
        runtime: 'local',
        maxRunning: 1,
        maxGpus: 0,
        paused: false,
        pending: 0,
        queued: 0,
        running: 0,
        gpusInUse: 0,
        oldestWaitingSeconds: null,
      });
    });

    it('creates a queue that takes submits at once, and refuses a taken name or unknown runtime', async () => {
      const created = await createQueue({
        name: 'made-at-runtime',
        maxRunning: 2,
        allowedRoles: ['admin', 'member'],
      });
      expect(created.response.status).toBe(201);
      expect(created.data).toMatchObject({ name: 'made-at-runtime', maxRunning: 2, paused: false });
      expectProblem(await createQueue({ name: 'made-at-runtime', maxRunning: 1 }), 409);
      expectProblem(
        await createQueue({
          name: 'elsewhere',
          runtime: refusedBody<QueueCreation['runtime']>('mainframe'),
          maxRunning: 1,
        }),
        400,
      );
      expectProblem(await createQueue({ name: 'Bad Name', maxRunning: 1 }), 400);
      expectProblem(
        await admin().POST('/api/v1/admin/queues', {
          body: refusedBody<QueueCreation>({ name: 'half' }),
        }),
        400,
      );
      const submitted = await world.submit({
        name: 'on a new queue',
        queue: 'made-at-runtime',
        ...QUICK,
      });
      expect(submitted.response.status).toBe(201);
      expect((await world.waitForStatus(submitted.data!.id, FINAL)).status).toBe('succeeded');
    });

    it('pauses a queue: it takes submits, dispatches nothing and says so; resume starts them', async () => {
      expect(
        (await createQueue({ name: 'pausable', maxRunning: 2, allowedRoles: ['member'] })).response
          .status,
      ).toBe(201);
      const paused = await admin().POST('/api/v1/admin/queues/{name}/pause', ofQueue('pausable'));
      expect(paused.response.status).toBe(200);
      expect(paused.data!.paused).toBe(true);
      const submitted = await world.submit({
        name: 'waits for resume',
        queue: 'pausable',
        ...QUICK,
      });
      expect(submitted.response.status).toBe(201);
      const id = submitted.data!.id;
      // other queues keep dispatching meanwhile
      const elsewhere = await world.submit({ name: 'not paused', ...QUICK });
      await world.waitForStatus(elsewhere.data!.id, FINAL);
      expect(await statusOf(id)).toBe('pending');
      expect(await pendingReasons(id)).toContain('queue pausable is paused');
      const figures = await unwrap(admin().GET('/api/v1/admin/queues/{name}', ofQueue('pausable')));
      expect(figures).toMatchObject({ paused: true, pending: 1 });
      expect(figures.oldestWaitingSeconds).toBeGreaterThanOrEqual(0);
      const resumed = await unwrap(
        admin().POST('/api/v1/admin/queues/{name}/resume', ofQueue('pausable')),
      );
      expect(resumed.paused).toBe(false);
      expect((await world.waitForStatus(id, FINAL)).status).toBe('succeeded');
    });

    it('drains a queue: cancels exactly its pending tasks and leaves its running one', async () => {
      expect(
        (await createQueue({ name: 'drainable', maxRunning: 1, allowedRoles: ['member'] })).response
          .status,
      ).toBe(201);
      const running = await world.submit({ name: 'holds the slot', queue: 'drainable', ...LONG });
      await world.waitForStatus(running.data!.id, ['running']);
      const pending: string[] = [];
      for (let i = 0; i < 3; i++) {
        pending.push(
          (await world.submit({ name: `behind ${i}`, queue: 'drainable', ...QUICK })).data!.id,
        );
      }
      const drained = await admin().POST('/api/v1/admin/queues/{name}/drain', ofQueue('drainable'));
      expect(drained.response.status).toBe(200);
      expect(drained.data).toEqual({ cancelled: 3 });
      for (const id of pending) expect(await statusOf(id)).toBe('cancelled');
      expect(await statusOf(running.data!.id)).toBe('running');
      const deleteQueue = (name: string) =>
        admin().DELETE('/api/v1/admin/queues/{name}', ofQueue(name));
      expectProblem(await deleteQueue('drainable'), 409);
      await cancel(running.data!.id);
      await world.waitForStatus(running.data!.id, FINAL);
      expect((await deleteQueue('drainable')).response.status).toBe(204);
      expectProblem(await admin().GET('/api/v1/admin/queues/{name}', ofQueue('drainable')), 404);
      expectProblem(await deleteQueue('default'), 409);
    });

    it('limits a queue to named users: others get 403 naming the queue', async () => {
      const created = await createQueue({
        name: 'bobs-only',
        maxRunning: 1,
        allowedUsers: [ids.bob],
      });
      expect(created.response.status).toBe(201);
      const refused = await world.submit({ name: 'not mine', queue: 'bobs-only', ...QUICK });
      expectProblem(refused, 403);
      expect(refused.error?.detail).toContain('bobs-only');
      const accepted = await world.submit({ name: 'mine', queue: 'bobs-only', ...QUICK }, 'bob');
      expect(accepted.response.status).toBe(201);
      await world.waitForStatus(accepted.data!.id, FINAL);
      const opened = await changeQueue('bobs-only', {
        allowedUsers: null,
        allowedRoles: ['member'],
      });
      expect(opened.response.status).toBe(200);
      expect(opened.data).toMatchObject({ allowedUsers: null, allowedRoles: ['member'] });
      expect(
        (await world.submit({ name: 'now open', queue: 'bobs-only', ...QUICK })).response.status,
      ).toBe(201);
    });

    it('changes capacity at the next dispatch pass, without a restart', async () => {
      expect(
        (await createQueue({ name: 'growing', maxRunning: 1, allowedRoles: ['member'] })).response
          .status,
      ).toBe(201);
      const first = await world.submit({ name: 'first', queue: 'growing', ...LONG });
      await world.waitForStatus(first.data!.id, ['running']);
      const second = await world.submit({ name: 'second', queue: 'growing', ...LONG });
      expect(await pendingReasons(second.data!.id)).toEqual(
        expect.arrayContaining([expect.stringContaining('queue growing is at capacity')]),
      );
      const grown = await unwrap(changeQueue('growing', { maxRunning: 2 }));
      expect(grown.maxRunning).toBe(2);
      await world.waitForStatus(second.data!.id, ['running']);
      for (const task of [first, second]) {
        await cancel(task.data!.id);
        await world.waitForStatus(task.data!.id, FINAL);
      }
    });

    it('bounds the priority of a queue’s tasks at submit and at a change, naming the field', async () => {
      const bounded = await createQueue({
        name: 'bounded',
        maxRunning: 1,
        allowedRoles: ['member'],
        paused: true,
        minPriority: 0,
        maxPriority: 10,
      });
      expect(bounded.data).toMatchObject({ minPriority: 0, maxPriority: 10 });
      const tooHigh = await world.submit({ name: 'vip', queue: 'bounded', priority: 50, ...QUICK });
      expectProblem(tooHigh, 400);
      expect(tooHigh.error?.errors).toEqual([expect.objectContaining({ field: 'priority' })]);
      const fits = await world.submit({ name: 'fits', queue: 'bounded', priority: 5, ...QUICK });
      expect(fits.response.status).toBe(201);
      expectProblem(
        await world.as.alice.PATCH('/api/v1/tasks/{id}', {
          ...ofTask(fits.data!.id),
          body: { priority: -1 },
        }),
        400,
      );
      expectProblem(await changeQueue('bounded', { minPriority: 20 }), 400);
      const unbounded = await unwrap(changeQueue('bounded', { maxPriority: null, paused: false }));
      expect(unbounded).toMatchObject({ minPriority: 0, maxPriority: null });
      await world.waitForStatus(fits.data!.id, FINAL);
    });

    it('refuses a null or zero limit with 400 and an unknown queue with 404', async () => {
      expectProblem(await changeQueue('tiny', refusedBody<QueueChange>({ maxRunning: null })), 400);
      expectProblem(await changeQueue('tiny', { maxRunning: 0 }), 400);
      expectProblem(await changeQueue('nope', { maxRunning: 1 }), 404);
    });
  });

  describe('quotas', () => {
    const setQuota = (
      userId: string,
      body: { maxRunning?: number; maxGpus?: number; maxPending?: number },
    ) => admin().PATCH('/api/v1/admin/quotas/{userId}', { ...ofUser(userId), body });

    it('raises and lowers what a user runs at the next pass, and the user reads their own', async () => {
      const set = await setQuota(ids.alice, { maxRunning: 1 });
      expect(set.response.status).toBe(200);
      expect(set.data).toMatchObject({
        userId: ids.alice,
        overrides: { maxRunning: 1, maxGpus: null, maxPending: null },
        effective: { maxRunning: 1 },
      });
      const first = await world.submit({ name: 'quota one', ...LONG });
      await world.waitForStatus(first.data!.id, ['running']);
      const second = await world.submit({ name: 'quota two', ...LONG });
      expect(await pendingReasons(second.data!.id)).toEqual(
        expect.arrayContaining([expect.stringContaining("owner's quota is reached")]),
      );
      const mine = await world.as.alice.GET('/api/v1/auth/me/quota');
      expect(mine.response.status).toBe(200);
      expect(mine.data).toMatchObject({
        effective: { maxRunning: 1 },
        usage: { running: 1, pending: 1 },
      });

      await unwrap(setQuota(ids.alice, { maxRunning: 2 }));
      await world.waitForStatus(second.data!.id, ['running']);

      const listed = await unwrap(admin().GET('/api/v1/admin/quotas'));
      expect(listed.defaults.maxRunning).toBeGreaterThan(0);
      expect(listed.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            userId: ids.alice,
            usage: expect.objectContaining({ running: 2 }),
          }),
        ]),
      );
      const removed = await admin().DELETE('/api/v1/admin/quotas/{userId}', ofUser(ids.alice));
      expect(removed.response.status).toBe(204);
      const after = await unwrap(admin().GET('/api/v1/admin/quotas/{userId}', ofUser(ids.alice)));
      expect(after.overrides.maxRunning).toBeNull();
      for (const task of [first, second]) {
        await cancel(task.data!.id);
        await world.waitForStatus(task.data!.id, FINAL);
      }
    });

    it('holds the next submit to a pending quota set or removed a moment before', async () => {
      await unwrap(setQuota(ids.bob, { maxRunning: 1 }));
      const running = await world.submit({ name: 'holds the slot', ...LONG }, 'bob');
      await world.waitForStatus(running.data!.id, ['running']);
      const pending = await world.submit({ name: 'waits', ...LONG }, 'bob');
      expect(pending.response.status).toBe(201);

      await unwrap(setQuota(ids.bob, { maxPending: 1 }));
      expectProblem(await world.submit({ name: 'one too many', ...LONG }, 'bob'), 429);

      await unwrap(admin().DELETE('/api/v1/admin/quotas/{userId}', ofUser(ids.bob)));
      const accepted = await world.submit({ name: 'room again', ...LONG }, 'bob');
      expect(accepted.response.status).toBe(201);
      for (const task of [running, pending, accepted]) {
        await unwrap(admin().POST('/api/v1/tasks/{id}/cancel', ofTask(task.data!.id)));
      }
    });

    it('answers 404 for an unknown user and 400 for a bad limit', async () => {
      expectProblem(
        await admin().GET(
          '/api/v1/admin/quotas/{userId}',
          ofUser('5b0e0a8e-3c1f-4f7e-9f1a-1f2d3c4b5a69'),
        ),
        404,
      );
      expectProblem(await setQuota(ids.bob, { maxGpus: -1 }), 400);
      expectProblem(await setQuota(ids.bob, { maxRunning: 1.5 }), 400);
    });
  });

  describe('audit log', () => {
    it('records each admin change with before and after, filterable and paged newest first', async () => {
      const paused = await audit({ action: ['admin.queue.paused'], targetId: 'pausable' });
      expect(paused.response.status).toBe(200);
      expect(paused.data!.items).toHaveLength(1);
      expect(paused.data!.items[0]).toMatchObject({
        action: 'admin.queue.paused',
        actor: { username: 'root' },
        target: { type: 'queue', id: 'pausable' },
        details: { before: { paused: false }, after: { paused: true } },
      });
      const quota = await unwrap(
        audit({ targetType: 'user', targetId: ids.alice, action: ['admin.quota.set'] }),
      );
      expect(
        quota.items.map(
          (entry) => (entry.details as { after: { maxRunning: number } }).after.maxRunning,
        ),
      ).toEqual([2, 1]);

      const pages = await readPages((cursor) =>
        unwrap(audit({ limit: 3, action: ['admin.queue.created'], cursor })),
      );
      expect(pages.flat().map((entry) => entry.target?.id)).toEqual([
        'bounded',
        'growing',
        'bobs-only',
        'drainable',
        'pausable',
        'made-at-runtime',
      ]);

      const logins = await unwrap(audit({ action: ['auth.login.succeeded'], limit: 1 }));
      expect(logins.items).toHaveLength(1);
      const future = await unwrap(audit({ since: '2999-01-01T00:00:00Z' }));
      expect(future.items).toEqual([]);
      expectProblem(await audit({ cursor: 'garbage' }), 400);
      expectProblem(
        await audit({ action: refusedBody<AuditQuery['action']>(['no.such.action']) }),
        400,
      );
      expectProblem(await audit({ since: 'yesterday' }), 400);
    });
  });

  describe('system view', () => {
    it('shows the version, run mode, this live process as leader, and the state of its dependencies', async () => {
      const { version } = JSON.parse(
        readFileSync(resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
      ) as { version: string };
      const answer = await admin().GET('/api/v1/admin/system');
      expect(answer.response.status).toBe(200);
      const system = answer.data!;
      expect(system).toMatchObject({
        version,
        database: { state: 'up' },
        mode: { database: expect.stringMatching(/^(sqlite|postgres)$/) },
      });
      expect(['up', 'not-configured']).toContain(system.redis.state);
      const self = system.processes.find((process) => process.self);
      expect(self).toMatchObject({ pid: expect.any(Number), version });
      // the build baked in the commit it was made from, a commit of this repository
      expect(system.build.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(() =>
        execFileSync('git', ['cat-file', '-e', `${system.build.commit}^{commit}`]),
      ).not.toThrow();
      expect(Date.parse(system.build.builtAt!)).toBeLessThanOrEqual(Date.now());
      expect(system.processes.filter((process) => process.leader).length).toBeLessThanOrEqual(1);
      expect(system.jobQueues.map((queue) => queue.name)).toEqual(
        expect.arrayContaining(['task-launch', 'webhook-deliveries']),
      );
    });
  });

  describe('access', () => {
    type Operation = { method: string; path: string; roles: string[] };
    /** Every operation the spec reserves for some roles (`x-kiln-roles`), so new ones count. */
    function restrictedOperations(): Operation[] {
      const spec = JSON.parse(readFileSync(SPEC, 'utf8')) as {
        paths: Record<string, Record<string, { 'x-kiln-roles'?: string[] }>>;
      };
      return Object.entries(spec.paths).flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([, operation]) => operation['x-kiln-roles'] !== undefined)
          .map(([method, operation]) => ({ method, path, roles: operation['x-kiln-roles']! })),
      );
    }

    it('reserves every admin route for admins and every webhooks route for admins and members', () => {
      const operations = restrictedOperations();
      const paths = Object.keys(
        (JSON.parse(readFileSync(SPEC, 'utf8')) as { paths: object }).paths,
      );
      const adminPaths = paths.filter((path) => path.startsWith('/api/v1/admin/'));
      const webhookPaths = paths.filter((path) => path.startsWith('/api/v1/webhooks'));
      expect(adminPaths.length).toBeGreaterThan(5);
      expect(webhookPaths.length).toBeGreaterThan(3);
      for (const operation of operations) {
        if (operation.path.startsWith('/api/v1/admin/')) expect(operation.roles).toEqual(['admin']);
        if (operation.path.startsWith('/api/v1/webhooks')) {
          expect(operation.roles).toEqual(['admin', 'member']);
        }
      }
      const covered = new Set(operations.map((operation) => operation.path));
      expect([...adminPaths, ...webhookPaths].filter((path) => !covered.has(path))).toEqual([]);
    });

    it.each(['member', 'viewer'] as const)(
      'answers 403 problem+json to a %s on every operation of the spec reserved for other roles',
      async (role) => {
        const token = role === 'member' ? world.tokens.alice : world.tokens.viewer;
        const refused = restrictedOperations().filter(
          (operation) => !operation.roles.includes(role),
        );
        expect(refused.length).toBeGreaterThan(role === 'member' ? 15 : 20);
        for (const { method, path } of refused) {
          // the role check comes before any parsing, so placeholder values do
          const concrete = path.replace('/api/v1', '').replace(/\{[^}]+\}/g, ids.bob);
          // raw: an empty body is what the spec forbids, and the role check answers first
          const answer = await sendRaw(world.kiln.url, method.toUpperCase(), concrete, {
            token,
            body: ['post', 'patch', 'put'].includes(method) ? {} : undefined,
          });
          expect({
            method,
            path,
            status: answer.status,
            type: answer.headers.get('content-type'),
          }).toEqual({
            method,
            path,
            status: 403,
            type: expect.stringContaining('application/problem+json'),
          });
        }
      },
    );
  });
}
