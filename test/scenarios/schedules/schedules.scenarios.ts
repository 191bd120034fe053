// Schedules through the REST API, with the schedules' clock under the test's control:
// each case moves time and runs the leader's pass itself, so nothing waits on the wall
// clock. Written once, run on the embedded default and on PostgreSQL + Redis.
import { handWritten } from '../../support/hand-written-api';
import { ScheduleClock } from '../../../src/modules/schedules/schedule-clock';
import { ScheduleTicker } from '../../../src/modules/schedules/schedule-ticker';
import { unwrap } from '@kiln/client';
import { readPages } from '../../support/cursor-pages';
import { FINAL, StartApp, startTaskWorld, TaskWorld } from '../tasks/task-world';

const MINUTE = 60_000;

export function scheduleScenarios(start: StartApp, env: Record<string, string> = {}): void {
  let world: TaskWorld;
  let now: Date;
  let ticker: ScheduleTicker;

  beforeAll(async () => {
    world = await startTaskWorld(start, env);
    const clock = world.kiln.app.get(ScheduleClock);
    jest.spyOn(clock, 'now').mockImplementation(() => new Date(now));
    ticker = world.kiln.app.get(ScheduleTicker);
  });

  beforeEach(() => {
    now = new Date('2030-06-01T10:00:30Z');
  });

  afterAll(() => world?.kiln.close());

  const create = (body: Record<string, unknown>, token = world.tokens.alice) =>
    handWritten(world).post('/schedules', body, token);
  const read = async (id: string) =>
    (await handWritten(world).get(`/schedules/${id}`, world.tokens.alice)).body;
  const everyMinute = (overrides: Record<string, unknown> = {}) => ({
    name: 'nightly',
    cron: '* * * * *',
    task: { name: 'train', command: ['true'] },
    ...overrides,
  });
  const tasksOf = async (scheduleId: string) =>
    (
      await handWritten(world).get(
        `/tasks?label=${encodeURIComponent(`kiln.dev/schedule=${scheduleId}`)}&limit=100`,
        world.tokens.alice,
      )
    ).body.items as Array<Record<string, any>>;

  it('shows the next five fire times in the schedule’s time zone', async () => {
    const created = await create(
      everyMinute({ cron: '30 2 * * *', timezone: 'Europe/Berlin', suspend: true }),
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/v1/schedules/${created.body.id}`);
    expect(created.body.nextFireTimes).toEqual([]);
    const resumed = await handWritten(world).post(
      `/schedules/${created.body.id}/resume`,
      {},
      world.tokens.alice,
    );
    expect(resumed.status).toBe(200);
    expect(resumed.body.nextFireTimes).toEqual([
      '2030-06-02T00:30:00.000Z',
      '2030-06-03T00:30:00.000Z',
      '2030-06-04T00:30:00.000Z',
      '2030-06-05T00:30:00.000Z',
      '2030-06-06T00:30:00.000Z',
    ]);
    expect(resumed.body.task).toMatchObject({ name: 'train', command: ['true'], queue: 'default' });
  });

  it('refuses a bad expression, zone or template, naming the field', async () => {
    const badCron = await create(everyMinute({ cron: '61 * * * *' }));
    expect(badCron.status).toBe(400);
    expect(badCron.body.errors[0].field).toBe('cron');
    const badZone = await create(everyMinute({ timezone: 'Mars/Olympus' }));
    expect(badZone.status).toBe(400);
    expect(badZone.body.errors[0].field).toBe('timezone');
    const badTask = await create(everyMinute({ task: { name: 'x', command: [] } }));
    expect(badTask.status).toBe(400);
    const badQueue = await create(
      everyMinute({ task: { name: 'x', command: ['true'], queue: 'nope' } }),
    );
    expect(badQueue.status).toBe(400);
    const viewer = await create(everyMinute(), world.tokens.viewer);
    expect(viewer.status).toBe(403);
  });

  it('hides a member’s schedule from another member', async () => {
    const created = await create(everyMinute());
    const other = await handWritten(world).get(`/schedules/${created.body.id}`, world.tokens.bob);
    expect(other.status).toBe(404);
    const list = await handWritten(world).get('/schedules', world.tokens.bob);
    expect(list.body.items.map((item: { id: string }) => item.id)).not.toContain(created.body.id);
    await handWritten(world).post(`/schedules/${created.body.id}/suspend`, {}, world.tokens.alice);
  });

  it('fires a due time once however many passes run, with the schedule on the task', async () => {
    const created = await create(everyMinute());
    now = new Date('2030-06-01T10:01:00.200Z');
    await Promise.all([ticker.pass(), ticker.pass(), ticker.pass()]);
    await ticker.pass();
    const tasks = await tasksOf(created.body.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0].labels).toEqual({
      'kiln.dev/schedule': created.body.id,
      'kiln.dev/scheduled-at': '2030-06-01T10:01:00.000Z',
    });
    const schedule = await read(created.body.id);
    expect(schedule.history).toEqual([
      expect.objectContaining({
        scheduledAt: '2030-06-01T10:01:00.000Z',
        kind: 'scheduled',
        outcome: 'submitted',
        taskId: tasks[0].id,
      }),
    ]);
    expect(schedule.lastTaskId).toBe(tasks[0].id);
    await handWritten(world).post(`/schedules/${created.body.id}/suspend`, {}, world.tokens.alice);
  });

  it('fires a missed time once, late, within the starting deadline and records older ones as missed', async () => {
    const created = await create(everyMinute({ startingDeadlineSeconds: 90 }));
    // no Kiln ran from 10:01 to 10:05:40: 10:05 is 40 s late, within the deadline
    now = new Date('2030-06-01T10:05:40Z');
    await ticker.pass();
    const schedule = await read(created.body.id);
    const outcomes = schedule.history.map((fire: Record<string, string>) => [
      fire.scheduledAt.slice(11, 16),
      fire.outcome,
    ]);
    expect(outcomes).toEqual([
      ['10:05', 'submitted'],
      ['10:04', 'missed'],
      ['10:03', 'missed'],
      ['10:02', 'missed'],
      ['10:01', 'missed'],
    ]);
    expect(await tasksOf(created.body.id)).toHaveLength(1);
    await handWritten(world).post(`/schedules/${created.body.id}/suspend`, {}, world.tokens.alice);
  });

  it('records every time as missed once the latest is past the starting deadline', async () => {
    const created = await create(everyMinute({ startingDeadlineSeconds: 10 }));
    now = new Date('2030-06-01T10:02:30Z');
    await ticker.pass();
    const schedule = await read(created.body.id);
    expect(schedule.history.map((fire: { outcome: string }) => fire.outcome)).toEqual([
      'missed',
      'missed',
    ]);
    expect(await tasksOf(created.body.id)).toHaveLength(0);
    expect(schedule.nextFireTimes[0]).toBe('2030-06-01T10:03:00.000Z');
    await handWritten(world).post(`/schedules/${created.body.id}/suspend`, {}, world.tokens.alice);
  });

  it('keeps only the newest records up to the history limit', async () => {
    const created = await create(everyMinute({ historyLimit: 3 }));
    for (let minute = 1; minute <= 5; minute++) {
      now = new Date(Date.parse('2030-06-01T10:00:00Z') + minute * MINUTE + 100);
      await ticker.pass();
    }
    const schedule = await read(created.body.id);
    expect(schedule.history.map((fire: { scheduledAt: string }) => fire.scheduledAt)).toEqual([
      '2030-06-01T10:05:00.000Z',
      '2030-06-01T10:04:00.000Z',
      '2030-06-01T10:03:00.000Z',
    ]);
    await handWritten(world).post(`/schedules/${created.body.id}/suspend`, {}, world.tokens.alice);
  });

  it('pages through the schedules oldest first and a schedule’s fire records newest first, by cursor', async () => {
    const schedulesOfBob = (limit: number) =>
      readPages((cursor) =>
        unwrap(world.as.bob.GET('/api/v1/schedules', { params: { query: { limit, cursor } } })),
      );
    const mine = async () => (await schedulesOfBob(200)).flat().map((s) => s.id);
    const before = await mine();
    const created: string[] = [];
    for (let index = 0; index < 3; index++) {
      // a second apart: the list is by creation time, then id
      now = new Date(now.getTime() + 1000);
      created.push(
        (await create(everyMinute({ name: `paged ${index}` }), world.tokens.bob)).body.id,
      );
    }
    const pages = await schedulesOfBob(2);
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(pages.flat().map((schedule) => schedule.id)).toEqual([...before, ...created]);
    expect(await mine()).toHaveLength(before.length + 3);

    for (let minute = 1; minute <= 5; minute++) {
      now = new Date(Date.parse('2030-06-01T10:00:00Z') + minute * MINUTE + 100);
      await ticker.pass();
    }
    const firesOf = { path: { id: created[0] } };
    const fires = await readPages((cursor) =>
      unwrap(
        world.as.bob.GET('/api/v1/schedules/{id}/fires', {
          params: { ...firesOf, query: { limit: 2, cursor } },
        }),
      ),
    );
    expect(fires.map((page) => page.map((fire) => fire.scheduledAt))).toEqual([
      ['2030-06-01T10:05:00.000Z', '2030-06-01T10:04:00.000Z'],
      ['2030-06-01T10:03:00.000Z', '2030-06-01T10:02:00.000Z'],
      ['2030-06-01T10:01:00.000Z'],
    ]);
    expect(fires.flat().every((fire) => fire.outcome === 'submitted')).toBe(true);

    const bad = await world.as.bob.GET('/api/v1/schedules', {
      params: { query: { cursor: 'not-a-cursor' } },
    });
    expect(bad.response.status).toBe(400);
    expect(bad.response.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.error?.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    // another member's schedule is not found, its records neither
    const hidden = await world.as.alice.GET('/api/v1/schedules/{id}/fires', { params: firesOf });
    expect(hidden.response.status).toBe(404);
    for (const id of created) {
      await world.as.bob.POST('/api/v1/schedules/{id}/suspend', { params: { path: { id } } });
    }
  });

  it('fires nothing while suspended, and does not catch up on resume', async () => {
    const created = await create(everyMinute({ suspend: true }));
    now = new Date('2030-06-01T10:05:10Z');
    await ticker.pass();
    const resumed = await handWritten(world).post(
      `/schedules/${created.body.id}/resume`,
      {},
      world.tokens.alice,
    );
    expect(resumed.body.nextFireTimes[0]).toBe('2030-06-01T10:06:00.000Z');
    await ticker.pass();
    expect((await read(created.body.id)).history).toEqual([]);
    await handWritten(world).post(`/schedules/${created.body.id}/suspend`, {}, world.tokens.alice);
  });

  it('Forbid skips a fire while the previous task has not finished', async () => {
    const created = await create(
      everyMinute({
        suspend: true,
        concurrencyPolicy: 'Forbid',
        task: { name: 'long', command: ['sleep', '30'] },
      }),
    );
    const first = await handWritten(world).post(
      `/schedules/${created.body.id}/trigger`,
      {},
      world.tokens.alice,
    );
    expect(first.status).toBe(201);
    expect(first.body.outcome).toBe('submitted');
    now = new Date(now.getTime() + 1000);
    const second = await handWritten(world).post(
      `/schedules/${created.body.id}/trigger`,
      {},
      world.tokens.alice,
    );
    expect(second.body.outcome).toBe('skipped');
    expect(second.body.reason).toContain(first.body.taskId);
    expect(second.body.taskId).toBeNull();
    await handWritten(world).post(`/tasks/${first.body.taskId}/cancel`, {}, world.tokens.alice);
    await world.waitForStatus(first.body.taskId, FINAL);
    now = new Date(now.getTime() + 1000);
    const third = await handWritten(world).post(
      `/schedules/${created.body.id}/trigger`,
      {},
      world.tokens.alice,
    );
    expect(third.body.outcome).toBe('submitted');
    await handWritten(world).post(`/tasks/${third.body.taskId}/cancel`, {}, world.tokens.alice);
  });

  it('Replace cancels the previous task and submits a new one', async () => {
    const created = await create(
      everyMinute({
        suspend: true,
        concurrencyPolicy: 'Replace',
        task: { name: 'long', command: ['sleep', '30'] },
      }),
    );
    const first = await handWritten(world).post(
      `/schedules/${created.body.id}/trigger`,
      {},
      world.tokens.alice,
    );
    now = new Date(now.getTime() + 1000);
    const second = await handWritten(world).post(
      `/schedules/${created.body.id}/trigger`,
      {},
      world.tokens.alice,
    );
    expect(second.body.outcome).toBe('submitted');
    expect(second.body.reason).toContain(first.body.taskId);
    const replaced = await world.waitForStatus(first.body.taskId, FINAL);
    expect(replaced.status).toBe('cancelled');
    await handWritten(world).post(`/tasks/${second.body.taskId}/cancel`, {}, world.tokens.alice);
  });

  it('changes and deletes a schedule, keeping its tasks', async () => {
    const created = await create(everyMinute({ suspend: true }));
    const fired = await handWritten(world).post(
      `/schedules/${created.body.id}/trigger`,
      {},
      world.tokens.alice,
    );
    const changed = await handWritten(world).patch(
      `/schedules/${created.body.id}`,
      { cron: '0 */2 * * *', name: 'every other hour' },
      world.tokens.alice,
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: 'every other hour',
      cron: '0 */2 * * *',
      version: 2,
    });
    const byBob = await handWritten(world).delete(
      `/schedules/${created.body.id}`,
      world.tokens.bob,
    );
    expect(byBob.status).toBe(404);
    const deleted = await handWritten(world).delete(
      `/schedules/${created.body.id}`,
      world.tokens.alice,
    );
    expect(deleted.status).toBe(204);
    expect(
      (await handWritten(world).get(`/schedules/${created.body.id}`, world.tokens.alice)).status,
    ).toBe(404);
    expect(
      (await handWritten(world).get(`/tasks/${fired.body.taskId}`, world.tokens.alice)).status,
    ).toBe(200);
  });
}
