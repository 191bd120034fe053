// What the API takes and refuses: idempotent submits, If-Match updates, who may do what,
// bad input.
import { unwrap, type TaskListQuery } from '@kiln/client';
import { sendRaw } from '../../support/raw-request';
import { TaskWorld, WorldUser } from './task-world';

export function requestScenarios(worldOf: () => TaskWorld): void {
  let world: TaskWorld;

  beforeAll(() => {
    world = worldOf();
  });

  const get = (id: string, user: WorldUser = 'alice') =>
    world.as[user].GET('/api/v1/tasks/{id}', { params: { path: { id } } });
  const list = (user: WorldUser, query: TaskListQuery = {}) =>
    unwrap(world.as[user].GET('/api/v1/tasks', { params: { query: { limit: 200, ...query } } }));

  it('returns the first task for a retried submit with the same Idempotency-Key', async () => {
    const body = { name: 'idempotent', command: ['true'] };
    const first = await world.submit(body, 'alice', 'submit-42');
    const second = await world.submit(body, 'alice', 'submit-42');
    expect(first.response.status).toBe(201);
    expect(second.response.status).toBe(200);
    expect(second.data?.id).toBe(first.data?.id);
    const other = await world.submit({ ...body, name: 'different' }, 'alice', 'submit-42');
    expect(other.response.status).toBe(422);
  });

  it('updates with If-Match and refuses a stale version with 412', async () => {
    const blocker = await world.submit({
      name: 'holds tiny',
      queue: 'tiny',
      command: ['sleep', '30'],
    });
    await world.waitForStatus(blocker.data!.id, ['running']);
    const created = await world.submit({ name: 'to rename', queue: 'tiny', command: ['true'] });
    const etag = created.response.headers.get('etag')!;
    const path = { id: created.data!.id };
    const renamed = await world.as.alice.PATCH('/api/v1/tasks/{id}', {
      params: { path, header: { 'If-Match': etag } },
      body: { name: 'renamed', labels: { stage: 'two' } },
    });
    expect(renamed.response.status).toBe(200);
    expect(renamed.data).toMatchObject({ name: 'renamed', labels: { stage: 'two' } });
    const stale = await world.as.alice.PATCH('/api/v1/tasks/{id}', {
      params: { path, header: { 'If-Match': etag } },
      body: { name: 'again' },
    });
    expect(stale.response.status).toBe(412);
    const listed = await list('alice', { label: ['stage=two'] });
    expect(listed.items.map((t) => t.id)).toEqual([path.id]);
    const reprioritized = await world.as.alice.PATCH('/api/v1/tasks/{id}', {
      params: { path },
      body: { priority: 5 },
    });
    expect(reprioritized.data?.priority).toBe(5);
    await world.as.alice.POST('/api/v1/tasks/{id}/cancel', {
      params: { path: { id: blocker.data!.id } },
    });
    await world.waitForStatus(path.id, ['succeeded']);
    const tooLate = await world.as.alice.PATCH('/api/v1/tasks/{id}', {
      params: { path },
      body: { priority: 1 },
    });
    expect(tooLate.response.status).toBe(400);
  });

  it('keeps members to their own tasks and viewers to reading', async () => {
    const mine = (await world.submit({ name: 'alice only', command: ['true'] })).data!;
    expect((await get(mine.id, 'bob')).response.status).toBe(404);
    const bobCancels = await world.as.bob.POST('/api/v1/tasks/{id}/cancel', {
      params: { path: { id: mine.id } },
    });
    expect(bobCancels.response.status).toBe(404);
    const bobList = await list('bob');
    expect(bobList.items.some((t) => t.ownerId === mine.ownerId)).toBe(false);
    expect((await get(mine.id, 'viewer')).response.status).toBe(200);
    const withSecret = (
      await world.submit({
        name: 'has a credential',
        command: ['true'],
        env: { WANDB_API_KEY: 'alice-secret-value' },
      })
    ).data!;
    expect(withSecret.env).toEqual({ WANDB_API_KEY: 'alice-secret-value' });
    const secretAsViewer = await get(withSecret.id, 'viewer');
    expect(secretAsViewer.data?.env).toEqual({ WANDB_API_KEY: '[hidden]' });
    const listAsViewer = await list('viewer');
    expect(JSON.stringify(listAsViewer)).not.toContain('alice-secret-value');
    const asAdmin = await get(withSecret.id, 'admin');
    expect(asAdmin.data?.env).toEqual({ WANDB_API_KEY: 'alice-secret-value' });
    const viewerSubmits = await world.submit({ name: 'nope', command: ['true'] }, 'viewer');
    expect(viewerSubmits.response.status).toBe(403);
  });

  it('refuses bad input with field errors and stores nothing', async () => {
    const before = (await list('alice')).items.length;
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
      // raw: several of these bodies are ones the spec's types refuse to build
      const response = await sendRaw(world.kiln.url, 'POST', '/tasks', {
        body,
        token: world.tokens.alice,
      });
      expect({ field, status: response.status }).toEqual({ field, status: 400 });
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const tooMany = await world.as.alice.GET('/api/v1/tasks', {
      params: { query: { limit: 100000 } },
    });
    expect(tooMany.response.status).toBe(400);
    // raw: a status the spec's enum does not allow
    const badStatus = await sendRaw(world.kiln.url, 'GET', '/tasks?status=bogus', {
      token: world.tokens.alice,
    });
    expect(badStatus.status).toBe(400);
    const after = (await list('alice')).items.length;
    expect(after).toBe(before);
  });
}
