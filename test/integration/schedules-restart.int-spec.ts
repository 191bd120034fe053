// A schedule survives a full restart of Kiln: two real replicas on PostgreSQL + Redis
// fire it every second, both stop for 30 s, two new ones start on the same database.
// The times that came due while no Kiln ran are recorded `missed` (only the latest,
// inside the starting deadline, fires, once), the schedule goes on firing each second,
// and no second has two records or two tasks; counted from the database.
import { unwrap } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { queuesConfigFile } from '../scenarios/tasks/task-world';
import { loggedInAs } from '../support/kiln-clients';
import { KilnReplicas } from '../support/kiln-replicas';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { SHARED_REDIS_URL, createTestRedisPrefix, TestRedisPrefix } from '../support/redis';
import { ScheduleFires, stepsBetween } from '../support/schedule-fires';

const ADMIN = { username: 'root', password: 'fault suite password 1' };
/** How long no Kiln runs: the length of the outage is the scenario, not a wait for an event. */
const STOPPED_MS = 30_000;
const STARTING_DEADLINE_SECONDS = 5;

describe('a schedule every second across a 30 s stop of every replica', () => {
  let database: TestDatabase;
  let redis: TestRedisPrefix;
  let env: Record<string, string>;
  let before: KilnReplicas | undefined;
  let after: KilnReplicas | undefined;
  let fires: ScheduleFires;

  beforeAll(async () => {
    database = await createTestDatabase('kiln_schedules_restart');
    redis = createTestRedisPrefix('kiln_schedules_restart');
    env = {
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: SHARED_REDIS_URL,
      KILN_REDIS_KEY_PREFIX: redis.prefix,
      KILN_CONFIG_FILE: queuesConfigFile(8),
    };
    fires = await ScheduleFires.connect(database.url);
  });

  afterAll(async () => {
    await fires?.close();
    await before?.stop();
    await after?.stop();
    await database?.drop();
    await redis?.cleanup();
  });

  const login = async (url: string) =>
    (await loggedInAs(url, ADMIN.username, ADMIN.password)).client.api;
  const firedAtLeast = async (scheduleId: string, count: number) =>
    (
      await waitUntil(async () => (await fires.count(scheduleId)) >= count, {
        timeoutMs: count * 1000 + 30_000,
        intervalMs: 250,
      })
    ).satisfied;

  it('records the stopped seconds as missed, fires the latest once, and goes on each second', async () => {
    before = await KilnReplicas.start(2, env);
    const api = await login(before.processes[0].url);
    const created = await api.POST('/api/v1/schedules', {
      body: {
        name: 'every second',
        cron: '* * * * * *',
        startingDeadlineSeconds: STARTING_DEADLINE_SECONDS,
        historyLimit: 1000,
        task: { name: 'tick', command: ['true'] },
      },
    });
    expect(created.response.status).toBe(201);
    const scheduleId = created.data!.id;
    expect(await firedAtLeast(scheduleId, 5)).toBe(true);

    await before.stop();
    const stoppedAt = Date.now();
    const recordedBeforeStop = await fires.count(scheduleId);
    await new Promise((resolve) => setTimeout(resolve, STOPPED_MS));
    const restartedAt = Date.now();
    after = await KilnReplicas.start(2, env);
    // a while of regular seconds after the restart
    expect(await firedAtLeast(scheduleId, recordedBeforeStop + STOPPED_MS / 1000 + 5)).toBe(true);
    const survivor = await login(after.processes[0].url);
    await unwrap(
      survivor.POST('/api/v1/schedules/{id}/suspend', { params: { path: { id: scheduleId } } }),
    );

    const records = await fires.of(scheduleId);
    const perSecond = await fires.tasksPerSecond(scheduleId);
    // every second from the first fire to the last has one record
    expect(stepsBetween(records).every((step) => step === 1000)).toBe(true);
    expect([...perSecond.values()].every((tasks) => tasks === 1)).toBe(true);
    const submitted = records.filter((row) => row.outcome === 'submitted');
    expect(perSecond.size).toBe(submitted.length);
    // the seconds no Kiln ran are missed; the first fire after the restart is the
    // latest time that was due, once, late but inside the deadline
    const whileStopped = records.filter(
      (row) =>
        row.scheduledAt.getTime() > stoppedAt + 1000 && row.scheduledAt.getTime() < restartedAt,
    );
    expect(whileStopped.length).toBeGreaterThanOrEqual(STOPPED_MS / 1000 - 2);
    expect(whileStopped.every((row) => row.outcome === 'missed')).toBe(true);
    const firstAfter = records.find(
      (row) => row.scheduledAt.getTime() >= restartedAt && row.outcome === 'submitted',
    )!;
    const missedAfterRestart = records.filter(
      (row) => row.scheduledAt.getTime() >= restartedAt && row.outcome === 'missed',
    );
    expect(firstAfter).toBeDefined();
    expect(firstAfter.firedAt.getTime() - firstAfter.scheduledAt.getTime()).toBeLessThanOrEqual(
      STARTING_DEADLINE_SECONDS * 1000,
    );
    expect(missedAfterRestart.every((row) => row.scheduledAt < firstAfter.scheduledAt)).toBe(true);
    // the measured figures, for the record
    console.log(
      `${records.length} seconds: ${submitted.length} submitted, ` +
        `${records.length - submitted.length} missed; ${whileStopped.length} while stopped; ` +
        `first fire after the restart ${firstAfter.firedAt.getTime() - firstAfter.scheduledAt.getTime()} ms late`,
    );
    expect([...before.crashReports(), ...after.crashReports()]).toEqual([]);
  }, 180_000);
});
