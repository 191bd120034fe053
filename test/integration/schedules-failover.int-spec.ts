// Three real Kiln replicas on PostgreSQL + Redis, a schedule every second for a minute,
// the leader lock's TTL cut to 3 s and the leader killed twice: every second from the
// first fire to the last has exactly one record, a task or `missed` (inside a
// failover), and no second has two tasks; counted from the database. Each phase ends
// when the database holds its seconds, not after a fixed sleep.
import { unwrap } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { queuesConfigFile } from '../scenarios/tasks/task-world';
import { clientAs, loggedInAs } from '../support/kiln-clients';
import { KilnProcess } from '../support/kiln-process';
import { KilnReplicas } from '../support/kiln-replicas';
import { leaderGauge } from '../support/leader-probe';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { SHARED_REDIS_URL, createTestRedisPrefix, TestRedisPrefix } from '../support/redis';
import { ScheduleFires, stepsBetween } from '../support/schedule-fires';

const LOCK_TTL_MS = 3_000;
/** Three phases of this many scheduled seconds: a minute in all. */
const PHASE_SECONDS = 20;

describe('a schedule every second for a minute while the leader is killed twice', () => {
  let database: TestDatabase;
  let redis: TestRedisPrefix;
  let replicas: KilnReplicas | undefined;
  let fires: ScheduleFires;

  beforeAll(async () => {
    database = await createTestDatabase('kiln_schedules_failover');
    redis = createTestRedisPrefix('kiln_schedules_failover');
    replicas = await KilnReplicas.start(3, {
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: SHARED_REDIS_URL,
      KILN_REDIS_KEY_PREFIX: redis.prefix,
      KILN_LOCK_TTL_MS: String(LOCK_TTL_MS),
      KILN_CONFIG_FILE: queuesConfigFile(8),
    });
    fires = await ScheduleFires.connect(database.url);
  });

  afterAll(async () => {
    await fires?.close();
    await replicas?.stop();
    await database?.drop();
    await redis?.cleanup();
  });

  const leaderOf = async (kilns: KilnProcess[]): Promise<KilnProcess | undefined> => {
    let leader: KilnProcess | undefined;
    await waitUntil(
      async () => {
        for (const kiln of kilns) if ((await leaderGauge(kiln.url)) === 1) leader = kiln;
        return leader !== undefined;
      },
      { timeoutMs: 3 * LOCK_TTL_MS + 5_000, intervalMs: 100 },
    );
    return leader;
  };

  it('records each second once across two failovers and never submits one twice', async () => {
    const live = [...replicas!.processes];
    const { client, token } = await loggedInAs(live[0].url, 'root', 'fault suite password 1');
    const created = await client.api.POST('/api/v1/schedules', {
      body: {
        name: 'every second',
        cron: '* * * * * *',
        startingDeadlineSeconds: 30,
        historyLimit: 1000,
        task: { name: 'tick', command: ['true'] },
      },
    });
    expect(created.response.status).toBe(201);
    const scheduleId = created.data!.id;
    const phaseDone = async (phase: number) => {
      const reached = await waitUntil(
        async () => (await fires.count(scheduleId)) >= (phase + 1) * PHASE_SECONDS,
        { timeoutMs: PHASE_SECONDS * 1000 + 3 * LOCK_TTL_MS + 15_000, intervalMs: 250 },
      );
      expect(reached.satisfied).toBe(true);
    };

    for (let failover = 0; failover < 2; failover++) {
      await phaseDone(failover);
      const leader = await leaderOf(live);
      expect(leader).toBeDefined();
      await replicas!.kill(leader!);
      live.splice(live.indexOf(leader!), 1);
    }
    await phaseDone(2);
    // the first replica may be gone: the same session, asked of one still running
    const survivor = clientAs(live[0].url, token).api;
    await unwrap(
      survivor.POST('/api/v1/schedules/{id}/suspend', { params: { path: { id: scheduleId } } }),
    );

    const records = await fires.of(scheduleId);
    const perSecond = await fires.tasksPerSecond(scheduleId);
    // consecutive seconds, each recorded once, a minute of them
    expect(stepsBetween(records).every((step) => step === 1000)).toBe(true);
    expect(records.length).toBeGreaterThanOrEqual(3 * PHASE_SECONDS);
    const submitted = records.filter((row) => row.outcome === 'submitted');
    const missed = records.filter((row) => row.outcome === 'missed');
    expect(submitted.length + missed.length).toBe(records.length);
    expect([...perSecond.values()].every((tasks) => tasks === 1)).toBe(true);
    expect(perSecond.size).toBe(submitted.length);
    // the measured figures, for the record
    console.log(
      `${records.length} seconds: ${submitted.length} submitted, ${missed.length} missed across 2 failovers`,
    );
    expect(replicas!.crashReports()).toEqual([]);
  }, 180_000);
});
