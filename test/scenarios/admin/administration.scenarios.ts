// Queues, quotas and the audit log administered over the API, written once and run on
// the embedded default (test/e2e/administration.e2e-spec.ts) and on PostgreSQL + Redis
// (test/integration/administration.int-spec.ts). One running Kiln, in this order.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { handWritten } from '../../support/hand-written-api';
import { sendRaw } from '../../support/raw-request';
import type { ApiResponse } from '../../support/api-client';
import { FINAL, shell, StartApp, startTaskWorld, TaskWorld } from '../tasks/task-world';

const SPEC = resolve(__dirname, '..', '..', '..', 'src', 'openapi', 'openapi.json');
const LONG = shell('sleep 60');
const QUICK = shell('true');

/** Takes the hand-written helper's answer or the generated client's. */
function expectProblem(answer: ApiResponse | { response: Response }, status: number): void {
  const response = 'response' in answer ? answer.response : answer;
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
}

export function administrationScenarios(start: StartApp, env: Record<string, string> = {}): void {
  let world: TaskWorld;
  let ids: Record<'alice' | 'bob', string>;

  beforeAll(async () => {
    world = await startTaskWorld(start, env);
    const idOf = async (token: string) =>
      (await handWritten(world).get('/auth/me', token)).body.id as string;
    ids = { alice: await idOf(world.tokens.alice), bob: await idOf(world.tokens.bob) };
  }, 60_000);

  afterAll(async () => {
    await world?.kiln.close();
  });

  const admin = () => world.tokens.admin;
  const createQueue = (body: Record<string, unknown>) =>
    handWritten(world).post('/admin/queues', { runtime: 'local', maxGpus: 0, ...body }, admin());
  const pendingReasons = async (id: string): Promise<string[]> =>
    (await handWritten(world).get(`/tasks/${id}`, admin())).body.waiting?.reasons ?? [];

  describe('queues', () => {
    it('lists the queues seeded from the configuration with their live figures', async () => {
      const list = await handWritten(world).get('/admin/queues', admin());
      expect(list.status).toBe(200);
      const names = list.body.items.map((queue: { name: string }) => queue.name);
      expect(names).toEqual(expect.arrayContaining(['default', 'tiny']));
      expect(list.body.items.find((q: { name: string }) => q.name === 'tiny')).toMatchObject({
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
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'made-at-runtime', maxRunning: 2, paused: false });
      expectProblem(await createQueue({ name: 'made-at-runtime', maxRunning: 1 }), 409);
      expectProblem(
        await createQueue({ name: 'elsewhere', runtime: 'mainframe', maxRunning: 1 }),
        400,
      );
      expectProblem(await createQueue({ name: 'Bad Name', maxRunning: 1 }), 400);
      expectProblem(await handWritten(world).post('/admin/queues', { name: 'half' }, admin()), 400);
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
        (await createQueue({ name: 'pausable', maxRunning: 2, allowedRoles: ['member'] })).status,
      ).toBe(201);
      const paused = await handWritten(world).post('/admin/queues/pausable/pause', {}, admin());
      expect(paused.status).toBe(200);
      expect(paused.body.paused).toBe(true);
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
      expect((await handWritten(world).get(`/tasks/${id}`, admin())).body.status).toBe('pending');
      expect(await pendingReasons(id)).toContain('queue pausable is paused');
      const figures = await handWritten(world).get('/admin/queues/pausable', admin());
      expect(figures.body).toMatchObject({ paused: true, pending: 1 });
      expect(figures.body.oldestWaitingSeconds).toBeGreaterThanOrEqual(0);
      const resumed = await handWritten(world).post('/admin/queues/pausable/resume', {}, admin());
      expect(resumed.body.paused).toBe(false);
      expect((await world.waitForStatus(id, FINAL)).status).toBe('succeeded');
    });

    it('drains a queue: cancels exactly its pending tasks and leaves its running one', async () => {
      expect(
        (await createQueue({ name: 'drainable', maxRunning: 1, allowedRoles: ['member'] })).status,
      ).toBe(201);
      const running = await world.submit({ name: 'holds the slot', queue: 'drainable', ...LONG });
      await world.waitForStatus(running.data!.id, ['running']);
      const pending: string[] = [];
      for (let i = 0; i < 3; i++) {
        pending.push(
          (await world.submit({ name: `behind ${i}`, queue: 'drainable', ...QUICK })).data!.id,
        );
      }
      const drained = await handWritten(world).post('/admin/queues/drainable/drain', {}, admin());
      expect(drained.status).toBe(200);
      expect(drained.body).toEqual({ cancelled: 3 });
      for (const id of pending) {
        expect((await handWritten(world).get(`/tasks/${id}`, admin())).body.status).toBe(
          'cancelled',
        );
      }
      expect(
        (await handWritten(world).get(`/tasks/${running.data!.id}`, admin())).body.status,
      ).toBe('running');
      expectProblem(await handWritten(world).delete('/admin/queues/drainable', admin()), 409);
      await handWritten(world).post(`/tasks/${running.data!.id}/cancel`, {}, world.tokens.alice);
      await world.waitForStatus(running.data!.id, FINAL);
      expect((await handWritten(world).delete('/admin/queues/drainable', admin())).status).toBe(
        204,
      );
      expectProblem(await handWritten(world).get('/admin/queues/drainable', admin()), 404);
      expectProblem(await handWritten(world).delete('/admin/queues/default', admin()), 409);
    });

    it('limits a queue to named users: others get 403 naming the queue', async () => {
      const created = await createQueue({
        name: 'bobs-only',
        maxRunning: 1,
        allowedUsers: [ids.bob],
      });
      expect(created.status).toBe(201);
      const refused = await world.submit({ name: 'not mine', queue: 'bobs-only', ...QUICK });
      expectProblem(refused, 403);
      expect(refused.error?.detail).toContain('bobs-only');
      const accepted = await world.submit({ name: 'mine', queue: 'bobs-only', ...QUICK }, 'bob');
      expect(accepted.response.status).toBe(201);
      await world.waitForStatus(accepted.data!.id, FINAL);
      const opened = await handWritten(world).patch(
        '/admin/queues/bobs-only',
        { allowedUsers: null, allowedRoles: ['member'] },
        admin(),
      );
      expect(opened.status).toBe(200);
      expect(opened.body).toMatchObject({ allowedUsers: null, allowedRoles: ['member'] });
      expect(
        (await world.submit({ name: 'now open', queue: 'bobs-only', ...QUICK })).response.status,
      ).toBe(201);
    });

    it('changes capacity at the next dispatch pass, without a restart', async () => {
      expect(
        (await createQueue({ name: 'growing', maxRunning: 1, allowedRoles: ['member'] })).status,
      ).toBe(201);
      const first = await world.submit({ name: 'first', queue: 'growing', ...LONG });
      await world.waitForStatus(first.data!.id, ['running']);
      const second = await world.submit({ name: 'second', queue: 'growing', ...LONG });
      expect(await pendingReasons(second.data!.id)).toEqual(
        expect.arrayContaining([expect.stringContaining('queue growing is at capacity')]),
      );
      const grown = await handWritten(world).patch(
        '/admin/queues/growing',
        { maxRunning: 2 },
        admin(),
      );
      expect(grown.body.maxRunning).toBe(2);
      await world.waitForStatus(second.data!.id, ['running']);
      for (const task of [first, second]) {
        await handWritten(world).post(`/tasks/${task.data!.id}/cancel`, {}, world.tokens.alice);
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
      expect(bounded.body).toMatchObject({ minPriority: 0, maxPriority: 10 });
      const tooHigh = await world.submit({ name: 'vip', queue: 'bounded', priority: 50, ...QUICK });
      expectProblem(tooHigh, 400);
      expect(tooHigh.error?.errors).toEqual([expect.objectContaining({ field: 'priority' })]);
      const fits = await world.submit({ name: 'fits', queue: 'bounded', priority: 5, ...QUICK });
      expect(fits.response.status).toBe(201);
      expectProblem(
        await handWritten(world).patch(
          `/tasks/${fits.data!.id}`,
          { priority: -1 },
          world.tokens.alice,
        ),
        400,
      );
      expectProblem(
        await handWritten(world).patch('/admin/queues/bounded', { minPriority: 20 }, admin()),
        400,
      );
      const unbounded = await handWritten(world).patch(
        '/admin/queues/bounded',
        { maxPriority: null, paused: false },
        admin(),
      );
      expect(unbounded.body).toMatchObject({ minPriority: 0, maxPriority: null });
      await world.waitForStatus(fits.data!.id, FINAL);
    });

    it('refuses a null or zero limit with 400 and an unknown queue with 404', async () => {
      expectProblem(
        await handWritten(world).patch('/admin/queues/tiny', { maxRunning: null }, admin()),
        400,
      );
      expectProblem(
        await handWritten(world).patch('/admin/queues/tiny', { maxRunning: 0 }, admin()),
        400,
      );
      expectProblem(
        await handWritten(world).patch('/admin/queues/nope', { maxRunning: 1 }, admin()),
        404,
      );
    });
  });

  describe('quotas', () => {
    it('raises and lowers what a user runs at the next pass, and the user reads their own', async () => {
      const set = await handWritten(world).patch(
        `/admin/quotas/${ids.alice}`,
        { maxRunning: 1 },
        admin(),
      );
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({
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
      const mine = await handWritten(world).get('/auth/me/quota', world.tokens.alice);
      expect(mine.status).toBe(200);
      expect(mine.body).toMatchObject({
        effective: { maxRunning: 1 },
        usage: { running: 1, pending: 1 },
      });

      await handWritten(world).patch(`/admin/quotas/${ids.alice}`, { maxRunning: 2 }, admin());
      await world.waitForStatus(second.data!.id, ['running']);

      const listed = await handWritten(world).get('/admin/quotas', admin());
      expect(listed.body.defaults.maxRunning).toBeGreaterThan(0);
      expect(listed.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            userId: ids.alice,
            usage: expect.objectContaining({ running: 2 }),
          }),
        ]),
      );
      expect((await handWritten(world).delete(`/admin/quotas/${ids.alice}`, admin())).status).toBe(
        204,
      );
      expect(
        (await handWritten(world).get(`/admin/quotas/${ids.alice}`, admin())).body.overrides
          .maxRunning,
      ).toBeNull();
      for (const task of [first, second]) {
        await handWritten(world).post(`/tasks/${task.data!.id}/cancel`, {}, world.tokens.alice);
        await world.waitForStatus(task.data!.id, FINAL);
      }
    });

    it('answers 404 for an unknown user and 400 for a bad limit', async () => {
      expectProblem(
        await handWritten(world).get('/admin/quotas/5b0e0a8e-3c1f-4f7e-9f1a-1f2d3c4b5a69', admin()),
        404,
      );
      expectProblem(
        await handWritten(world).patch(`/admin/quotas/${ids.bob}`, { maxGpus: -1 }, admin()),
        400,
      );
      expectProblem(
        await handWritten(world).patch(`/admin/quotas/${ids.bob}`, { maxRunning: 1.5 }, admin()),
        400,
      );
    });
  });

  describe('audit log', () => {
    it('records each admin change with before and after, filterable and paged newest first', async () => {
      const paused = await handWritten(world).get(
        '/admin/audit?action=admin.queue.paused&targetId=pausable',
        admin(),
      );
      expect(paused.status).toBe(200);
      expect(paused.body.items).toHaveLength(1);
      expect(paused.body.items[0]).toMatchObject({
        action: 'admin.queue.paused',
        actor: { username: 'root' },
        target: { type: 'queue', id: 'pausable' },
        details: { before: { paused: false }, after: { paused: true } },
      });
      const quota = await handWritten(world).get(
        `/admin/audit?targetType=user&targetId=${ids.alice}&action=admin.quota.set`,
        admin(),
      );
      expect(quota.body.items.map((e: { details: any }) => e.details.after.maxRunning)).toEqual([
        2, 1,
      ]);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ApiResponse = await handWritten(world).get(
          `/admin/audit?limit=3&action=admin.queue.created${cursor ? `&cursor=${cursor}` : ''}`,
          admin(),
        );
        seen.push(...page.body.items.map((e: { target: { id: string } }) => e.target.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([
        'bounded',
        'growing',
        'bobs-only',
        'drainable',
        'pausable',
        'made-at-runtime',
      ]);

      const logins = await handWritten(world).get(
        '/admin/audit?action=auth.login.succeeded&limit=1',
        admin(),
      );
      expect(logins.body.items).toHaveLength(1);
      const future = await handWritten(world).get(
        '/admin/audit?since=2999-01-01T00:00:00Z',
        admin(),
      );
      expect(future.body.items).toEqual([]);
      expectProblem(await handWritten(world).get('/admin/audit?cursor=garbage', admin()), 400);
      expectProblem(
        await handWritten(world).get('/admin/audit?action=no.such.action', admin()),
        400,
      );
      expectProblem(await handWritten(world).get('/admin/audit?since=yesterday', admin()), 400);
    });
  });

  describe('system view', () => {
    it('shows the version, run mode, this live process as leader, and the state of its dependencies', async () => {
      const { version } = JSON.parse(
        readFileSync(resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
      ) as { version: string };
      const system = await handWritten(world).get('/admin/system', admin());
      expect(system.status).toBe(200);
      expect(system.body).toMatchObject({
        version,
        database: { state: 'up' },
        mode: { database: expect.stringMatching(/^(sqlite|postgres)$/) },
      });
      expect(['up', 'not-configured']).toContain(system.body.redis.state);
      const self = system.body.processes.find((p: { self: boolean }) => p.self);
      expect(self).toMatchObject({ pid: expect.any(Number), version });
      // the build baked in the commit it was made from, a commit of this repository
      expect(system.body.build.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(() =>
        execFileSync('git', ['cat-file', '-e', `${system.body.build.commit}^{commit}`]),
      ).not.toThrow();
      expect(Date.parse(system.body.build.builtAt)).toBeLessThanOrEqual(Date.now());
      expect(
        system.body.processes.filter((p: { leader: boolean }) => p.leader).length,
      ).toBeLessThanOrEqual(1);
      expect(system.body.jobQueues.map((q: { name: string }) => q.name)).toEqual(
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
