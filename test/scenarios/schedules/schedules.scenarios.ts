// Schedules through the REST API, with the schedules' clock under the test's control:
// each case moves time and runs the leader's pass itself, so nothing waits on the wall
// clock. Written once, run on the embedded default and on PostgreSQL + Redis.
import { unwrap, type ScheduleSubmission } from '@kiln/client';
import { fieldsOf } from '../../support/problem-answer';
import { ScheduleClock } from '../../../src/modules/schedules/schedule-clock';
import { ScheduleTicker } from '../../../src/modules/schedules/schedule-ticker';
import { readPages } from '../../support/cursor-pages';
import { FINAL, StartApp, startTaskWorld, TaskWorld, WorldUser } from '../tasks/task-world';

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

  const create = (body: ScheduleSubmission, user: WorldUser = 'alice') =>
    world.as[user].POST('/api/v1/schedules', { body });
  const ofSchedule = (id: string) => ({ params: { path: { id } } });
  const read = (id: string) => unwrap(world.as.alice.GET('/api/v1/schedules/{id}', ofSchedule(id)));
  const suspend = (id: string) =>
    unwrap(world.as.alice.POST('/api/v1/schedules/{id}/suspend', ofSchedule(id)));
  const trigger = (id: string) =>
    unwrap(world.as.alice.POST('/api/v1/schedules/{id}/trigger', ofSchedule(id)));
  const cancelTask = (id: string) =>
    unwrap(world.as.alice.POST('/api/v1/tasks/{id}/cancel', { params: { path: { id } } }));
  const everyMinute = (overrides: Partial<ScheduleSubmission> = {}): ScheduleSubmission => ({
    name: 'nightly',
    cron: '* * * * *',
    task: { name: 'train', command: ['true'] },
    ...overrides,
  });
  const tasksOf = async (scheduleId: string) =>
    (
      await unwrap(
        world.as.alice.GET('/api/v1/tasks', {
          params: { query: { label: [`kiln.dev/schedule=${scheduleId}`], limit: 100 } },
        }),
      )
    ).items;

  it('shows the next five fire times in the schedule’s time zone', async () => {
    const created = await create(
      everyMinute({ cron: '30 2 * * *', timezone: 'Europe/Berlin', suspend: true }),
    );
    expect(created.response.status).toBe(201);
    expect(created.response.headers.get('location')).toBe(`/api/v1/schedules/${created.data!.id}`);
    expect(created.data!.nextFireTimes).toEqual([]);
    const resumed = await world.as.alice.POST(
      '/api/v1/schedules/{id}/resume',
      ofSchedule(created.data!.id),
    );
    expect(resumed.response.status).toBe(200);
    expect(resumed.data!.nextFireTimes).toEqual([
      '2030-06-02T00:30:00.000Z',
      '2030-06-03T00:30:00.000Z',
      '2030-06-04T00:30:00.000Z',
      '2030-06-05T00:30:00.000Z',
      '2030-06-06T00:30:00.000Z',
    ]);
    expect(resumed.data!.task).toMatchObject({
      name: 'train',
      command: ['true'],
      queue: 'default',
    });
  });

  it('refuses a bad expression, zone or template, naming the field', async () => {
    const badCron = await create(everyMinute({ cron: '61 * * * *' }));
    expect(badCron.response.status).toBe(400);
    expect(fieldsOf(badCron)[0]).toBe('cron');
    const badZone = await create(everyMinute({ timezone: 'Mars/Olympus' }));
    expect(badZone.response.status).toBe(400);
    expect(fieldsOf(badZone)[0]).toBe('timezone');
    const badTask = await create(everyMinute({ task: { name: 'x', command: [] } }));
    expect(badTask.response.status).toBe(400);
    const badQueue = await create(
      everyMinute({ task: { name: 'x', command: ['true'], queue: 'nope' } }),
    );
    expect(badQueue.response.status).toBe(400);
    const viewer = await create(everyMinute(), 'viewer');
    expect(viewer.response.status).toBe(403);
  });

  it('hides a member’s schedule from another member', async () => {
    const created = await unwrap(create(everyMinute()));
    const other = await world.as.bob.GET('/api/v1/schedules/{id}', ofSchedule(created.id));
    expect(other.response.status).toBe(404);
    const list = await unwrap(world.as.bob.GET('/api/v1/schedules'));
    expect(list.items.map((item) => item.id)).not.toContain(created.id);
    await suspend(created.id);
  });

  it('fires a due time once however many passes run, with the schedule on the task', async () => {
    const created = await unwrap(create(everyMinute()));
    now = new Date('2030-06-01T10:01:00.200Z');
    await Promise.all([ticker.pass(), ticker.pass(), ticker.pass()]);
    await ticker.pass();
    const tasks = await tasksOf(created.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0].labels).toEqual({
      'kiln.dev/schedule': created.id,
      'kiln.dev/scheduled-at': '2030-06-01T10:01:00.000Z',
    });
    const schedule = await read(created.id);
    expect(schedule.history).toEqual([
      expect.objectContaining({
        scheduledAt: '2030-06-01T10:01:00.000Z',
        kind: 'scheduled',
        outcome: 'submitted',
        taskId: tasks[0].id,
      }),
    ]);
    expect(schedule.lastTaskId).toBe(tasks[0].id);
    await suspend(created.id);
  });

  it('fires a missed time once, late, within the starting deadline and records older ones as missed', async () => {
    const created = await unwrap(create(everyMinute({ startingDeadlineSeconds: 90 })));
    // no Kiln ran from 10:01 to 10:05:40: 10:05 is 40 s late, within the deadline
    now = new Date('2030-06-01T10:05:40Z');
    await ticker.pass();
    const schedule = await read(created.id);
    const outcomes = schedule.history.map((fire) => [fire.scheduledAt.slice(11, 16), fire.outcome]);
    expect(outcomes).toEqual([
      ['10:05', 'submitted'],
      ['10:04', 'missed'],
      ['10:03', 'missed'],
      ['10:02', 'missed'],
      ['10:01', 'missed'],
    ]);
    expect(await tasksOf(created.id)).toHaveLength(1);
    await suspend(created.id);
  });

  it('records every time as missed once the latest is past the starting deadline', async () => {
    const created = await unwrap(create(everyMinute({ startingDeadlineSeconds: 10 })));
    now = new Date('2030-06-01T10:02:30Z');
    await ticker.pass();
    const schedule = await read(created.id);
    expect(schedule.history.map((fire) => fire.outcome)).toEqual(['missed', 'missed']);
    expect(await tasksOf(created.id)).toHaveLength(0);
    expect(schedule.nextFireTimes[0]).toBe('2030-06-01T10:03:00.000Z');
    await suspend(created.id);
  });

  it('keeps only the newest records up to the history limit', async () => {
    const created = await unwrap(create(everyMinute({ historyLimit: 3 })));
    for (let minute = 1; minute <= 5; minute++) {
      now = new Date(Date.parse('2030-06-01T10:00:00Z') + minute * MINUTE + 100);
      await ticker.pass();
    }
    const schedule = await read(created.id);
    expect(schedule.history.map((fire) => fire.scheduledAt)).toEqual([
      '2030-06-01T10:05:00.000Z',
      '2030-06-01T10:04:00.000Z',
      '2030-06-01T10:03:00.000Z',
    ]);
    await suspend(created.id);
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
      created.push((await unwrap(create(everyMinute({ name: `paged ${index}` }), 'bob'))).id);
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
    const created = await unwrap(create(everyMinute({ suspend: true })));
    now = new Date('2030-06-01T10:05:10Z');
    await ticker.pass();
    const resumed = await unwrap(
      world.as.alice.POST('/api/v1/schedules/{id}/resume', ofSchedule(created.id)),
    );
    expect(resumed.nextFireTimes[0]).toBe('2030-06-01T10:06:00.000Z');
    await ticker.pass();
    expect((await read(created.id)).history).toEqual([]);
    await suspend(created.id);
  });

  it('Forbid skips a fire while the previous task has not finished', async () => {
    const created = await unwrap(
      create(
        everyMinute({
          suspend: true,
          concurrencyPolicy: 'Forbid',
          task: { name: 'long', command: ['sleep', '30'] },
        }),
      ),
    );
    const first = await world.as.alice.POST(
      '/api/v1/schedules/{id}/trigger',
      ofSchedule(created.id),
    );
    expect(first.response.status).toBe(201);
    expect(first.data!.outcome).toBe('submitted');
    const firstTaskId = first.data!.taskId!;
    now = new Date(now.getTime() + 1000);
    const second = await trigger(created.id);
    expect(second.outcome).toBe('skipped');
    expect(second.reason).toContain(firstTaskId);
    expect(second.taskId).toBeNull();
    await cancelTask(firstTaskId);
    await world.waitForStatus(firstTaskId, FINAL);
    now = new Date(now.getTime() + 1000);
    const third = await trigger(created.id);
    expect(third.outcome).toBe('submitted');
    await cancelTask(third.taskId!);
  });

  it('Replace cancels the previous task and submits a new one', async () => {
    const created = await unwrap(
      create(
        everyMinute({
          suspend: true,
          concurrencyPolicy: 'Replace',
          task: { name: 'long', command: ['sleep', '30'] },
        }),
      ),
    );
    const first = await trigger(created.id);
    now = new Date(now.getTime() + 1000);
    const second = await trigger(created.id);
    expect(second.outcome).toBe('submitted');
    expect(second.reason).toContain(first.taskId);
    const replaced = await world.waitForStatus(first.taskId!, FINAL);
    expect(replaced.status).toBe('cancelled');
    await cancelTask(second.taskId!);
  });

  it('changes and deletes a schedule, keeping its tasks', async () => {
    const created = await unwrap(create(everyMinute({ suspend: true })));
    const fired = await trigger(created.id);
    const changed = await world.as.alice.PATCH('/api/v1/schedules/{id}', {
      ...ofSchedule(created.id),
      body: { cron: '0 */2 * * *', name: 'every other hour' },
    });
    expect(changed.response.status).toBe(200);
    expect(changed.data).toMatchObject({
      name: 'every other hour',
      cron: '0 */2 * * *',
      version: 2,
    });
    const byBob = await world.as.bob.DELETE('/api/v1/schedules/{id}', ofSchedule(created.id));
    expect(byBob.response.status).toBe(404);
    const deleted = await world.as.alice.DELETE('/api/v1/schedules/{id}', ofSchedule(created.id));
    expect(deleted.response.status).toBe(204);
    const gone = await world.as.alice.GET('/api/v1/schedules/{id}', ofSchedule(created.id));
    expect(gone.response.status).toBe(404);
    const task = await world.as.alice.GET('/api/v1/tasks/{id}', {
      params: { path: { id: fired.taskId! } },
    });
    expect(task.response.status).toBe(200);
  });
}
