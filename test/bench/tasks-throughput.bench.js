// Lifecycle throughput on PostgreSQL + Redis (BullMQ queue, Redis leader lock, local
// executor): N trivial tasks (`true`) submitted as fast as the API takes them
// (BENCH_IN_FLIGHT requests in flight), measured as tasks/s from the first POST sent to
// the last task's finishedAt. Also the memory of the Kiln process: RSS sampled from
// /proc through the run (must stay < 300 MiB), idle RSS, RSS after a settle, and a leak
// check: the live heap (after a full GC forced through the inspector) before and after
// the run, as growth per task. Stage timings come from the tasks' own timestamps
// (created, queued, started, finished) read from the bench's database.
// Env: BENCH_TASKS (default 5000), BENCH_IN_FLIGHT (32), BENCH_LAUNCH_CONCURRENCY (32),
// BENCH_QUEUE_CAPACITY (64). Target: >= 50 tasks/s. Prints one JSON object of figures.
const { Client } = require('pg');
const { setTimeout: delay } = require('node:timers/promises');
const { note, onCleanup, runBenchmark } = require('./lib/bench');
const { loginAdmin, startKiln } = require('./lib/kiln');
const { inspect } = require('./lib/inspector');
const { cpuSeconds, rssMiB, sampleRss } = require('./lib/proc');
const { summarize, round } = require('./lib/stats');
const { createDatabase, createRedisPrefix } = require('./lib/stores');
const { warmUp } = require('./lib/tasks');

const TASKS = Number(process.env.BENCH_TASKS ?? 5000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 32);
const LAUNCH_CONCURRENCY = Number(process.env.BENCH_LAUNCH_CONCURRENCY ?? 32);
const QUEUE_CAPACITY = Number(process.env.BENCH_QUEUE_CAPACITY ?? 64);
const WARM_UP_TASKS = 200;
const SETTLE_MS = 10_000;
/** RSS readings after the run, seconds after the last task finished. */
const AFTER_READINGS_S = [5, 15, 30];
/** Live-heap growth per task that counts as a leak (5 MiB over 5,000 tasks). */
const TARGET = { tasksPerSecond: 50, maxRssMiB: 300, leakKiBPerTask: 1 };

async function main() {
  const database = await createDatabase('kiln_bench_tp');
  onCleanup(database.drop);
  const redis = createRedisPrefix('kiln-bench-tp');
  onCleanup(redis.cleanup);
  const kiln = await startKiln({
    queueCapacity: QUEUE_CAPACITY,
    env: {
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: redis.url,
      KILN_REDIS_KEY_PREFIX: redis.prefix,
      KILN_JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
      KILN_LAUNCH_CONCURRENCY: String(LAUNCH_CONCURRENCY),
    },
  });
  onCleanup(kiln.stop);
  const db = new Client({ connectionString: database.url });
  await db.connect();
  onCleanup(() => db.end());

  await delay(5_000);
  const idleRssMiB = rssMiB(kiln.pid);
  const { client, token } = await loginAdmin(kiln.url, { maxSockets: IN_FLIGHT });
  onCleanup(() => client.close());
  note(`Kiln up (idle RSS ${idleRssMiB} MiB); warming up with ${WARM_UP_TASKS} tasks`);
  await warmUp(client, token, WARM_UP_TASKS, IN_FLIGHT);
  await delay(SETTLE_MS);
  const rssBeforeMiB = rssMiB(kiln.pid);
  const inspector = await inspect(kiln.pid);
  onCleanup(() => inspector.close());
  const liveBefore = await inspector.liveHeap();

  note(`submitting ${TASKS} tasks, ${IN_FLIGHT} in flight (RSS before ${rssBeforeMiB} MiB)`);
  const sampler = sampleRss(kiln.pid, 250);
  const cpuBefore = cpuSeconds(kiln.pid);
  const submit = await submitAll(client, token, TASKS, IN_FLIGHT);
  note(`all submitted in ${submit.seconds} s; waiting for them to finish`);
  const done = await waitForFinal(db, TASKS, Math.max(300_000, TASKS * 200));
  const kilnCpuSeconds = round(cpuSeconds(kiln.pid) - cpuBefore);
  const rssDuring = sampler.stop();
  note('settling');
  const rssAfter = {};
  let waited = 0;
  for (const seconds of AFTER_READINGS_S) {
    await delay((seconds - waited) * 1000);
    waited = seconds;
    rssAfter[`after${seconds}s`] = rssMiB(kiln.pid);
  }
  const rssAfterMiB = rssAfter[`after${AFTER_READINGS_S.at(-1)}s`];
  const liveAfter = await inspector.liveHeap();
  const leakKiBPerTask = round(
    ((liveAfter.heapUsedMiB - liveBefore.heapUsedMiB) * 1024) / TASKS,
    2,
  );

  const stages = await stageTimings(db);
  const seconds = (stages.lastFinishedAt - submit.firstSentAt) / 1000;
  const tasksPerSecond = round(done.succeeded / seconds);
  const growthMiB = round(rssAfterMiB - rssBeforeMiB);
  return {
    benchmark: 'tasks-throughput',
    mode: 'PostgreSQL + Redis (BullMQ, Redis lock), local executor, one process (role all)',
    config: {
      tasks: TASKS,
      clientInFlight: IN_FLIGHT,
      launchConcurrency: LAUNCH_CONCURRENCY,
      queueCapacity: QUEUE_CAPACITY,
    },
    succeeded: done.succeeded,
    otherFinal: done.final - done.succeeded,
    rejectedSubmits: submit.rejected,
    secondsFirstSubmitToLastSucceeded: round(seconds),
    tasksPerSecond,
    submitPhase: {
      seconds: submit.seconds,
      acceptedPerSecond: round(submit.accepted / submit.seconds),
      postLatencyMs: submit.latency,
    },
    // Per task, from its own timestamps (server clock): where the time goes.
    stageMs: stages.stages,
    // Tasks per second through each step (count / span of that timestamp): the lowest
    // is the step that limits throughput.
    stepRatesPerSecond: stages.rates,
    kilnCpu: { seconds: kilnCpuSeconds, averageCores: round(kilnCpuSeconds / seconds, 2) },
    memory: {
      idleRssMiB,
      rssBeforeRunMiB: rssBeforeMiB,
      rssDuringRun: rssDuring,
      rssAfterRunMiB: rssAfter,
      rssGrowthMiB: growthMiB,
      // After a forced full GC, so garbage V8 has not returned yet does not count.
      liveHeapBeforeRun: liveBefore,
      liveHeapAfterRun: liveAfter,
      liveHeapGrowthPerTaskKiB: leakKiBPerTask,
    },
    targets: {
      tasksPerSecond: {
        target: `>= ${TARGET.tasksPerSecond}`,
        actual: tasksPerSecond,
        met: tasksPerSecond >= TARGET.tasksPerSecond,
      },
      maxRssMiB: {
        target: `< ${TARGET.maxRssMiB}`,
        actual: rssDuring.maxMiB,
        met: rssDuring.maxMiB < TARGET.maxRssMiB,
      },
      liveHeapGrowthPerTaskKiB: {
        target: `< ${TARGET.leakKiBPerTask}`,
        actual: leakKiBPerTask,
        met: leakKiBPerTask < TARGET.leakKiBPerTask,
      },
    },
  };
}

/** Closed loop of `inFlight` submitters until `total` POSTs have been sent. */
async function submitAll(client, token, total, inFlight) {
  const latencies = [];
  let next = 0;
  let rejected = 0;
  const firstSentAt = Date.now();
  const submitter = async () => {
    while (next < total) {
      const index = next++;
      const sent = Date.now();
      const res = await client.request('POST', '/api/v1/tasks', {
        token,
        body: { name: `tp-${index}`, command: ['true'] },
      });
      if (res.status === 201) latencies.push(Date.now() - sent);
      else if (rejected++ === 0) note(`submit rejected: ${res.status} ${JSON.stringify(res.body)}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, submitter));
  const seconds = round((Date.now() - firstSentAt) / 1000, 2);
  return {
    firstSentAt,
    seconds,
    accepted: latencies.length,
    rejected,
    latency: summarize(latencies),
  };
}

/** Polls the database until every benchmark task is in a final state. */
async function waitForFinal(db, total, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let counts;
  while (Date.now() < deadline) {
    const { rows } = await db.query(
      `SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
              count(*) FILTER (WHERE status IN ('succeeded','failed','timed_out','cancelled'))::int AS final
         FROM tasks WHERE name LIKE 'tp-%'`,
    );
    counts = rows[0];
    if (counts.final >= total) return counts;
    await delay(250);
  }
  throw new Error(`only ${JSON.stringify(counts)} of ${total} tasks final after ${timeoutMs} ms`);
}

async function stageTimings(db) {
  const { rows } = await db.query(
    `SELECT extract(epoch FROM queued_at - created_at) * 1000 AS dispatch,
            extract(epoch FROM started_at - queued_at) * 1000 AS launch,
            extract(epoch FROM finished_at - started_at) * 1000 AS run,
            extract(epoch FROM finished_at - created_at) * 1000 AS total,
            extract(epoch FROM created_at) * 1000 AS created,
            extract(epoch FROM queued_at) * 1000 AS queued,
            extract(epoch FROM started_at) * 1000 AS started,
            extract(epoch FROM finished_at) * 1000 AS finished
       FROM tasks WHERE name LIKE 'tp-%' AND status = 'succeeded'`,
  );
  const column = (name) => rows.map((row) => Number(row[name]));
  const rate = (name) => {
    const times = column(name);
    const spanS = (Math.max(...times) - Math.min(...times)) / 1000;
    return round(times.length / spanS);
  };
  return {
    lastFinishedAt: Math.max(...column('finished')),
    rates: {
      created: rate('created'),
      queued: rate('queued'),
      running: rate('started'),
      succeeded: rate('finished'),
    },
    stages: {
      createdToQueued: summarize(column('dispatch')),
      queuedToRunning: summarize(column('launch')),
      runningToSucceeded: summarize(column('run')),
      createdToSucceeded: summarize(column('total')),
    },
  };
}

runBenchmark(main);
