// Submit → succeeded of BENCH_TASKS tasks of `true` on PostgreSQL + Redis, against the
// lifecycle peer: Celery with a Redis broker and PEER_CONCURRENCY prefork workers running
// the same command with subprocess.run (peers/lifecycle_peer.py). The two alternate for
// BENCH_ROUNDS rounds, the load average printed beside each; Kiln's own CPU per task
// (its process only, not the children it spawns) and the median wait from created to
// queued come with each of its rounds. Each round also says where the machine's CPU
// went, per task: Kiln, its process launcher, PostgreSQL, Redis, the Celery worker, and
// the rest (the runs themselves, the benchmark, the kernel). Runs are not sandboxed,
// like the peer's; BENCH_ISOLATION=auto measures Kiln with its run sandbox. Needs the
// Debian packages that test/bench/peers/setup.sh installs. Targets: Kiln >= 1x Celery's
// tasks/s, Kiln CPU per task <= 5 ms. Prints one JSON object of figures.
const { execFile, spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { loadavg } = require('node:os');
const { join } = require('node:path');
const { promisify } = require('node:util');
const { Client } = require('pg');
const Redis = require('ioredis');
const { setTimeout: delay } = require('node:timers/promises');
const { note, onCleanup, runBenchmark } = require('./lib/bench');
const { loginAdmin, startKiln } = require('./lib/kiln');
const { cpuAccount, pidsNamed } = require('./lib/proc');
const { round, summarize } = require('./lib/stats');
const { createDatabase, createRedisPrefix, REDIS_URL } = require('./lib/stores');
const { warmUp } = require('./lib/tasks');

const TASKS = Number(process.env.BENCH_TASKS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IN_FLIGHT = 32;
const PEER_CONCURRENCY = Number(process.env.PEER_CONCURRENCY ?? 2);
const PEERS_DIR = join(__dirname, 'peers');
/** Debian's interpreter, which the packages of peers/setup.sh install into. */
const PYTHON = process.env.PEER_PYTHON ?? '/usr/bin/python3';
const TARGET = { ofPeer: 1, kilnCpuMsPerTask: 5 };

async function main() {
  const database = await createDatabase('kiln_bench_life');
  onCleanup(database.drop);
  const redis = createRedisPrefix('kiln-bench-life');
  onCleanup(redis.cleanup);
  const kiln = await startKiln({
    env: {
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: redis.url,
      KILN_REDIS_KEY_PREFIX: redis.prefix,
      KILN_JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
      KILN_LAUNCH_CONCURRENCY: String(IN_FLIGHT),
      ...(process.env.BENCH_ISOLATION ? { KILN_LOCAL_ISOLATION: process.env.BENCH_ISOLATION } : {}),
    },
  });
  onCleanup(kiln.stop);
  const db = new Client({ connectionString: database.url });
  await db.connect();
  onCleanup(() => db.end());
  const { client, token } = await loginAdmin(kiln.url, { maxSockets: IN_FLIGHT });
  onCleanup(() => client.close());
  const celery = await startCelery();
  onCleanup(celery.stop);
  note('warming both up');
  await warmUp(client, token, 100, IN_FLIGHT);
  await celery.run(50);

  const kilnRounds = [];
  const peerRounds = [];
  for (let turn = 1; turn <= ROUNDS; turn++) {
    kilnRounds.push(await kilnRound(turn, { client, token, db, pid: kiln.pid }));
    peerRounds.push(await peerRound(turn, celery));
  }
  const kilnRate = median(kilnRounds.map((r) => r.tasksPerSecond));
  const peerRate = median(peerRounds.map((r) => r.tasksPerSecond));
  const cpuPerTask = median(kilnRounds.map((r) => r.kilnCpuMsPerTask));
  const ofPeer = round(kilnRate / peerRate, 3);
  return {
    benchmark: 'tasks-lifecycle',
    work: `${TASKS} tasks of \`true\` per round, ${ROUNDS} alternated rounds`,
    peer: `Celery (Redis broker and results, ${PEER_CONCURRENCY} prefork workers, subprocess.run)`,
    kiln: { medianTasksPerSecond: kilnRate, medianCpuMsPerTask: cpuPerTask, rounds: kilnRounds },
    celery: { medianTasksPerSecond: peerRate, rounds: peerRounds },
    targets: {
      throughputOfPeer: {
        target: `>= ${TARGET.ofPeer}`,
        actual: ofPeer,
        met: ofPeer >= TARGET.ofPeer,
      },
      kilnCpuMsPerTask: {
        target: `<= ${TARGET.kilnCpuMsPerTask}`,
        actual: cpuPerTask,
        met: cpuPerTask <= TARGET.kilnCpuMsPerTask,
      },
    },
  };
}

async function kilnRound(turn, { client, token, db, pid }) {
  const prefix = `life-${turn}-`;
  const started = Date.now();
  let rejected = 0;
  const groups = {
    kiln: [pid],
    launcher: childrenOf(pid),
    postgres: pidsNamed('postgres'),
    redis: pidsNamed('redis-server'),
  };
  const { result: counts, seconds: cpu } = await cpuAccount(groups, async () => {
    let next = 0;
    const submitter = async () => {
      while (next < TASKS) {
        const res = await client.request('POST', '/api/v1/tasks', {
          token,
          body: { name: `${prefix}${next++}`, command: ['true'] },
        });
        if (res.status !== 201) rejected++;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, submitter));
    return waitForFinal(db, prefix, TASKS - rejected);
  });
  const seconds = (Date.now() - started) / 1000;
  const cpuMsPerTask = perTask(cpu);
  const result = {
    tasksPerSecond: round(TASKS / seconds),
    seconds: round(seconds, 2),
    succeeded: counts.succeeded,
    rejected,
    kilnCpuMsPerTask: cpuMsPerTask.kiln,
    cpuMsPerTask,
    createdToQueuedMs: await createdToQueued(db, prefix),
    loadAverage: loadavg().map((value) => round(value, 2)),
  };
  note(
    `Kiln (round ${turn}): ${result.tasksPerSecond} tasks/s, ${result.kilnCpuMsPerTask} ms CPU/task, ` +
      `created→queued p50 ${result.createdToQueuedMs.p50} ms, load ${result.loadAverage.join(' ')}`,
  );
  note(`  machine CPU ms/task: ${describe(cpuMsPerTask)}`);
  return result;
}

async function peerRound(turn, celery) {
  const groups = { celery: celery.pids(), redis: pidsNamed('redis-server') };
  const { result: run, seconds: cpu } = await cpuAccount(groups, () => celery.run(TASKS));
  const cpuMsPerTask = perTask(cpu);
  const result = {
    tasksPerSecond: round(TASKS / run.seconds),
    seconds: round(run.seconds, 2),
    failed: run.failed,
    workerCpuMsPerTask: cpuMsPerTask.celery,
    cpuMsPerTask,
    loadAverage: loadavg().map((value) => round(value, 2)),
  };
  note(
    `Celery (round ${turn}): ${result.tasksPerSecond} tasks/s, worker ${result.workerCpuMsPerTask} ms CPU/task, ` +
      `load ${result.loadAverage.join(' ')}`,
  );
  note(`  machine CPU ms/task: ${describe(cpuMsPerTask)}`);
  return result;
}

/** CPU seconds of a round, as milliseconds per task. */
function perTask(seconds) {
  return Object.fromEntries(
    Object.entries(seconds).map(([name, value]) => [name, round((value * 1000) / TASKS, 2)]),
  );
}

function describe(msPerTask) {
  return Object.entries(msPerTask)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');
}

/** Polls until every task of the round is final. */
async function waitForFinal(db, prefix, total) {
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    const { rows } = await db.query(
      `SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
              count(*) FILTER (WHERE status IN ('succeeded','failed','timed_out','cancelled'))::int AS final
         FROM tasks WHERE name LIKE $1`,
      [`${prefix}%`],
    );
    if (rows[0].final >= total) return rows[0];
    await delay(100);
  }
  throw new Error(`the tasks of ${prefix} did not all end in 10 minutes`);
}

async function createdToQueued(db, prefix) {
  const { rows } = await db.query(
    `SELECT extract(epoch FROM queued_at - created_at) * 1000 AS ms FROM tasks WHERE name LIKE $1`,
    [`${prefix}%`],
  );
  const { p50, p99, max } = summarize(rows.map((row) => Number(row.ms)));
  return { p50, p99, max };
}

/** A Celery worker on its own queue; `run(n)` submits n tasks through lifecycle_client.py. */
async function startCelery() {
  const queue = `kiln-bench-celery-${randomBytes(4).toString('hex')}`;
  const env = { PATH: process.env.PATH, PEER_REDIS_URL: REDIS_URL, PEER_QUEUE: queue };
  const worker = spawn(
    PYTHON,
    [
      '-m',
      'celery',
      '-A',
      'lifecycle_peer',
      'worker',
      '--pool',
      'prefork',
      '--concurrency',
      String(PEER_CONCURRENCY),
      '--loglevel',
      'warning',
      '--without-gossip',
      '--without-mingle',
      '--without-heartbeat',
    ],
    { cwd: PEERS_DIR, env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise((done) => worker.once('exit', done));
  worker.once('error', (error) => note(`the Celery worker did not start: ${error.message}`));
  return {
    /** The worker and its prefork children. */
    pids: () => [worker.pid, ...childrenOf(worker.pid)],
    run: async (count) => {
      const { stdout } = await promisify(execFile)(PYTHON, ['lifecycle_client.py', String(count)], {
        cwd: PEERS_DIR,
        env,
      });
      return JSON.parse(stdout);
    },
    stop: async () => {
      if (worker.exitCode === null) worker.kill('SIGTERM');
      await exited;
      const redis = new Redis(REDIS_URL);
      await redis.del(queue, `_kombu.binding.${queue}`);
      await redis.quit();
    },
  };
}

function childrenOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text.split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function median(values) {
  return summarize(values).p50;
}

runBenchmark(main);
