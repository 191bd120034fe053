// Three real Kiln replicas on PostgreSQL + Redis, a schedule every second, and the
// leader killed twice: every second from the first fire to the last has exactly one
// record, a task or `missed` (inside a failover), and no second has two tasks; counted
// from the database.
import { Client } from 'pg';
import { waitUntil } from '../../src/common/wait-until';
import { queuesConfigFile } from '../scenarios/tasks/task-world';
import { ApiClient } from '../support/api-client';
import { KilnProcess } from '../support/kiln-process';
import { KilnReplicas } from '../support/kiln-replicas';
import { leaderGauge } from '../support/leader-probe';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { SHARED_REDIS_URL, createTestRedisPrefix, TestRedisPrefix } from '../support/redis';

const LOCK_TTL_MS = 3_000;
const PHASE_MS = 8_000;

describe('a schedule every second while the leader is killed twice', () => {
  let database: TestDatabase;
  let redis: TestRedisPrefix;
  let replicas: KilnReplicas | undefined;

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
  });

  afterAll(async () => {
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
    const api = new ApiClient(live[0].url);
    const login = await api.post('/auth/login', {
      username: 'root',
      password: 'fault suite password 1',
    });
    const created = await api.post(
      '/schedules',
      {
        name: 'every second',
        cron: '* * * * * *',
        startingDeadlineSeconds: 30,
        historyLimit: 1000,
        task: { name: 'tick', command: ['true'] },
      },
      login.body.accessToken,
    );
    expect(created.status).toBe(201);

    for (let failover = 0; failover < 2; failover++) {
      await new Promise((resolve) => setTimeout(resolve, PHASE_MS));
      const leader = await leaderOf(live);
      expect(leader).toBeDefined();
      await replicas!.kill(leader!);
      live.splice(live.indexOf(leader!), 1);
    }
    await new Promise((resolve) => setTimeout(resolve, PHASE_MS));
    const survivor = new ApiClient(live[0].url);
    await survivor.post(`/schedules/${created.body.id}/suspend`, {}, login.body.accessToken);

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const fires = await client.query<{ at: Date; outcome: string; task_id: string | null }>(
        'SELECT scheduled_at AS at, outcome, task_id FROM schedule_fires WHERE schedule_id = $1 ORDER BY scheduled_at',
        [created.body.id],
      );
      const perSecond = await client.query<{ at: string; tasks: string }>(
        `SELECT value AS at, count(*) AS tasks FROM task_labels
          WHERE key = 'kiln.dev/scheduled-at'
            AND task_id IN (SELECT task_id FROM task_labels WHERE key = 'kiln.dev/schedule' AND value = $1)
          GROUP BY value`,
        [created.body.id],
      );
      const seconds = fires.rows.map((row) => new Date(row.at).getTime());
      // consecutive seconds, each recorded once
      for (let i = 1; i < seconds.length; i++) expect(seconds[i] - seconds[i - 1]).toBe(1000);
      // three phases of PHASE_MS, less the moments around creating and suspending
      expect(seconds.length).toBeGreaterThanOrEqual((3 * PHASE_MS) / 1000 - 3);
      const submitted = fires.rows.filter((row) => row.outcome === 'submitted');
      const missed = fires.rows.filter((row) => row.outcome === 'missed');
      expect(submitted.length + missed.length).toBe(fires.rows.length);
      expect(perSecond.rows.every((row) => row.tasks === '1')).toBe(true);
      expect(perSecond.rows).toHaveLength(submitted.length);
      // the measured figures, for the record
      console.log(
        `${fires.rows.length} seconds: ${submitted.length} submitted, ${missed.length} missed across 2 failovers`,
      );
    } finally {
      await client.end();
    }
    expect(replicas!.crashReports()).toEqual([]);
  }, 120_000);
});
