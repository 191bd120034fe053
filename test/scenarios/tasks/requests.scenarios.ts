// What the API takes and refuses: idempotent submits, If-Match updates, who may do what,
// bad input.
import { TaskWorld } from './task-world';

export function requestScenarios(worldOf: () => TaskWorld): void {
  let world: TaskWorld;

  beforeAll(() => {
    world = worldOf();
  });

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
}
