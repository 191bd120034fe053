// Schedules on PostgreSQL + Redis: the shared scenarios, and exactly-once firing with
// two replicas that both believe they lead (a lease lost mid-pass, not yet noticed).
import { Client } from 'pg';
import { LEADER_LOCK } from '../../src/infra/lock/leader-lock.port';
import { ScheduleClock } from '../../src/modules/schedules/schedule-clock';
import { ScheduleTicker } from '../../src/modules/schedules/schedule-ticker';
import { scheduleScenarios } from '../scenarios/schedules/schedules.scenarios';
import { queuesConfigFile } from '../scenarios/tasks/task-world';
import { loggedInAs } from '../support/kiln-clients';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { startOnPostgresAndRedis } from '../support/production-app';
import { SHARED_REDIS_URL, createTestRedisPrefix, TestRedisPrefix } from '../support/redis';
import { startTestApp, TestApp } from '../support/test-app';

describe('schedules on PostgreSQL + Redis (BullMQ queue, Redis leader lock)', () => {
  scheduleScenarios((options) => startOnPostgresAndRedis(options, 'kiln_schedules'));
});

describe('a schedule every second on two replicas that both act as leader', () => {
  const START = Date.parse('2030-06-01T10:00:00.000Z');
  const SECONDS = 40;
  /** Seconds in which no pass runs, as while a new leader takes over. */
  const FAILOVER = new Set([11, 12, 13, 14, 27, 28]);
  let database: TestDatabase;
  let redis: TestRedisPrefix;
  let replicas: TestApp[] = [];
  let now = new Date(START);

  beforeAll(async () => {
    database = await createTestDatabase('kiln_schedules_ha');
    redis = createTestRedisPrefix('kiln_schedules_ha');
    const env = {
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: SHARED_REDIS_URL,
      KILN_REDIS_KEY_PREFIX: redis.prefix,
      KILN_ADMIN_USERNAME: 'root',
      KILN_ADMIN_PASSWORD: 'two leaders password 1',
      KILN_CONFIG_FILE: queuesConfigFile(8),
    };
    // one after the other: the second finds the schema migrated
    for (let i = 0; i < 2; i++) {
      const replica = await startTestApp({ env });
      replicas.push(replica);
      jest.spyOn(replica.app.get(ScheduleClock), 'now').mockImplementation(() => new Date(now));
      // the lease is gone, but this replica has not noticed yet: it still passes as leader
      Object.defineProperty(replica.app.get(LEADER_LOCK), 'isLeader', { get: () => true });
    }
  });

  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    replicas = [];
    await database?.drop();
    await redis?.cleanup();
  });

  it('records every scheduled second once, as a task or as missed, and never fires one twice', async () => {
    const { client: kiln } = await loggedInAs(replicas[0].url, 'root', 'two leaders password 1');
    const created = await kiln.api.POST('/api/v1/schedules', {
      body: {
        name: 'every second',
        cron: '* * * * * *',
        startingDeadlineSeconds: 30,
        historyLimit: 1000,
        task: { name: 'tick', command: ['true'] },
      },
    });
    expect(created.response.status).toBe(201);
    const tickers = replicas.map((replica) => replica.app.get(ScheduleTicker));
    for (let second = 1; second <= SECONDS; second++) {
      now = new Date(START + second * 1000 + 5);
      if (FAILOVER.has(second)) continue;
      // both replicas, twice each, at once: the same seconds race on both
      await Promise.all([...tickers, ...tickers].map((ticker) => ticker.pass()));
    }

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const fires = await client.query<{ at: string; outcome: string; records: string }>(
        `SELECT to_char(scheduled_at AT TIME ZONE 'UTC', 'SS') AS at, outcome, count(*) AS records
           FROM schedule_fires WHERE schedule_id = $1 GROUP BY 1, 2 ORDER BY 1`,
        [created.data!.id],
      );
      const tasks = await client.query<{ at: string; tasks: string }>(
        `SELECT substring(value from 18 for 2) AS at, count(*) AS tasks
           FROM task_labels WHERE key = 'kiln.dev/scheduled-at'
            AND task_id IN (SELECT task_id FROM task_labels
                             WHERE key = 'kiln.dev/schedule' AND value = $1)
          GROUP BY 1 ORDER BY 1`,
        [created.data!.id],
      );
      const expected = [];
      for (let second = 1; second <= SECONDS; second++) {
        const missed = FAILOVER.has(second);
        expected.push({
          at: String(second % 60).padStart(2, '0'),
          outcome: missed ? 'missed' : 'submitted',
          records: '1',
        });
      }
      expect(fires.rows.sort((a, b) => Number(a.at) - Number(b.at))).toEqual(
        expected.sort((a, b) => Number(a.at) - Number(b.at)),
      );
      expect(tasks.rows.every((row) => row.tasks === '1')).toBe(true);
      expect(tasks.rows).toHaveLength(SECONDS - FAILOVER.size);
    } finally {
      await client.end();
    }
    // the losers of each race backed off quietly: none counted its loss as a failure
    for (const replica of replicas) expect(replica.logText()).not.toContain('could not fire');
  });
});
