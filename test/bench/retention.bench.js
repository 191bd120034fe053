// One forced retention run over BENCH_RETENTION_TASKS (default 100,000) finished tasks
// older than KILN_RETENTION_TASK_DAYS, on PostgreSQL, in process (the built dist/): the
// run's length, its longest batch and statement, and the rate at which it removed tasks.
// Target: no statement takes a second, so retention never holds a table for long.
// Prints one JSON object of figures.
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { DataSource } = require('typeorm');
const { note, onCleanup, runBenchmark } = require('./lib/bench');
const { round } = require('./lib/stats');
const { createDatabase, createRedisPrefix } = require('./lib/stores');

const DIST = join(__dirname, '..', '..', 'dist');
const { loadConfig } = require(join(DIST, 'config', 'config.loader'));
const { createApp } = require(join(DIST, 'app.factory'));
const { RetentionRunner } = require(join(DIST, 'common', 'retention', 'retention-runner'));

const OLD_TASKS = Number(process.env.BENCH_RETENTION_TASKS ?? 100_000);
const ADMIN = { username: 'bench-admin', password: 'bench-password-1234' };
const TARGET_LONGEST_STATEMENT_MS = 1000;

async function main() {
  const database = await createDatabase('kiln_bench_retention');
  onCleanup(database.drop);
  const redis = createRedisPrefix('kiln-bench-retention');
  onCleanup(redis.cleanup);
  const dataDir = mkdtempSync(join(tmpdir(), 'kiln-bench-retention-'));
  onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const config = loadConfig({
    dotenvPath: null,
    env: {
      NODE_ENV: 'test',
      KILN_DATA_DIR: dataDir,
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: redis.url,
      KILN_REDIS_KEY_PREFIX: redis.prefix,
      KILN_JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
      KILN_ADMIN_USERNAME: ADMIN.username,
      KILN_ADMIN_PASSWORD: ADMIN.password,
      KILN_LOG_LEVEL: 'warn',
      KILN_RETENTION_TASK_DAYS: '30',
    },
  });
  // Kiln's log goes to stderr beside the progress notes; stdout holds only the figures.
  const app = await createApp(config, { logging: { destination: process.stderr } });
  onCleanup(() => app.close());

  const template = await submitTemplate(app);
  const seedStarted = Date.now();
  await seedOldCopies(app.get(DataSource), template);
  note(`seeded ${OLD_TASKS} old tasks in ${round((Date.now() - seedStarted) / 1000)} s`);

  const started = performance.now();
  const summary = await app.get(RetentionRunner).runNow();
  const seconds = (performance.now() - started) / 1000;
  if (summary.removed.tasks !== OLD_TASKS)
    throw new Error(`removed ${summary.removed.tasks} tasks, expected ${OLD_TASKS}`);
  note(`removed ${OLD_TASKS} tasks in ${round(seconds, 2)} s`);
  const longest = summary.longestStatement;
  return {
    benchmark: 'retention',
    oldTasks: OLD_TASKS,
    batchSize: config.retention.batchSize,
    runSeconds: round(seconds, 2),
    tasksRemovedPerSecond: Math.round(OLD_TASKS / seconds),
    longestBatchMs: summary.longestBatchMs,
    longestStatement: longest,
    targets: {
      longestStatementMs: {
        target: `< ${TARGET_LONGEST_STATEMENT_MS}`,
        actual: longest.ms,
        met: longest.ms < TARGET_LONGEST_STATEMENT_MS,
      },
    },
  };
}

/** A task through the API, whose row the seed copies: every column as Kiln writes it. */
async function submitTemplate(app) {
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ADMIN });
  const { accessToken } = login.json();
  const submitted = await app.inject({
    method: 'POST',
    url: '/api/v1/tasks',
    headers: { authorization: `Bearer ${accessToken}` },
    payload: { name: 'template', command: ['true'] },
  });
  if (submitted.statusCode !== 201) throw new Error(`submit: ${submitted.body}`);
  return submitted.json().id;
}

/** OLD_TASKS copies of the template, finished 40 days ago, in one statement. */
async function seedOldCopies(dataSource, templateId) {
  const columns = (
    await dataSource.query(
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'tasks'`,
    )
  ).map((row) => row.column_name);
  const copied = columns.map((name) => {
    if (name === 'id') return 'gen_random_uuid()';
    if (name === 'idempotency_key') return 'NULL';
    if (name === 'status') return `'succeeded'`;
    if (name === 'finished_at') return `now() - interval '40 days'`;
    return `tasks."${name}"`;
  });
  await dataSource.query(
    `INSERT INTO tasks (${columns.map((name) => `"${name}"`).join(', ')})
     SELECT ${copied.join(', ')} FROM tasks, generate_series(1, ${OLD_TASKS})
      WHERE tasks.id = $1`,
    [templateId],
  );
  await dataSource.query('ANALYZE tasks');
}

runBenchmark(main);
