// POST /api/v1/tasks on PostgreSQL + Redis against the submit peer: Flask under gunicorn
// (PEER_WORKERS sync workers) with psycopg2 (peers/submit_peer.py), which checks the same
// access token, validates the same body and inserts one row. Every submitted task stays
// pending: the default queue has one slot, held by a `sleep` task, so the backlog grows
// through the run as it does when a sweep is submitted. BENCH_CLIENTS closed-loop
// clients; the two servers alternate for BENCH_ROUNDS rounds of BENCH_SECONDS, with the
// load average printed beside each round. Needs the Debian packages that
// test/bench/peers/setup.sh installs. Targets: Kiln >= 2x the peer's req/s, p99 <= the
// peer's. Prints one JSON object of figures.
const { loadavg } = require('node:os');
const { setTimeout: delay } = require('node:timers/promises');
const { Client } = require('pg');
const { note, onCleanup, runBenchmark } = require('./lib/bench');
const { jwtEnvOf, startGunicorn } = require('./lib/gunicorn');
const { loginAdmin, startKiln } = require('./lib/kiln');
const { closedLoop } = require('./lib/load');
const { cpuSeconds } = require('./lib/proc');
const { round, summarize } = require('./lib/stats');
const { createDatabase, createRedisPrefix } = require('./lib/stores');

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PEER_WORKERS = Number(process.env.PEER_WORKERS ?? 4);
const WARM_UP_SECONDS = 3;
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret';
const TARGET = { throughputRatio: 2, p99Ratio: 1 };

async function main() {
  const database = await createDatabase('kiln_bench_submit');
  onCleanup(database.drop);
  const redis = createRedisPrefix('kiln-bench-submit');
  onCleanup(redis.cleanup);
  const kiln = await startKiln({
    queueCapacity: 1,
    env: {
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: redis.url,
      KILN_REDIS_KEY_PREFIX: redis.prefix,
      KILN_JWT_SECRET: JWT_SECRET,
    },
  });
  onCleanup(kiln.stop);
  const { client, token } = await loginAdmin(kiln.url, { maxSockets: CLIENTS });
  onCleanup(() => client.close());
  await holdTheOnlySlot(client, token);
  const peer = await startPeer(database.url, token);
  onCleanup(peer.stop);

  let sent = 0;
  const body = () => ({
    name: `bench-${sent++}`,
    command: ['python3', 'train.py', '--epochs', '10'],
    hyperparameters: { learning_rate: 0.01, batch_size: 64 },
    priority: 0,
  });
  const submitTo = (http) => () =>
    http.request('POST', '/api/v1/tasks', { token, body: body() }).then(checkCreated);
  const contenders = [
    ['Kiln', submitTo(client), () => [kiln.pid]],
    ['Flask peer', submitTo(peer.client), () => peer.pids()],
  ];
  const rounds = contenders.map(() => []);
  for (let turn = 1; turn <= ROUNDS; turn++) {
    for (const [index, [label, send, pids]] of contenders.entries()) {
      rounds[index].push(await measure(`${label} (round ${turn})`, send, pids));
    }
  }
  const [kilnRuns, peerRuns] = rounds;
  const kilnRps = median(kilnRuns.map((run) => run.requestsPerSecond));
  const peerRps = median(peerRuns.map((run) => run.requestsPerSecond));
  const kilnP99 = median(kilnRuns.map((run) => run.latencyMs.p99));
  const peerP99 = median(peerRuns.map((run) => run.latencyMs.p99));
  const throughputRatio = round(kilnRps / peerRps, 3);
  const p99Ratio = round(kilnP99 / peerP99, 2);
  return {
    benchmark: 'tasks-submit',
    request: `POST /api/v1/tasks (a task that stays pending), ${CLIENTS} clients, ${ROUNDS} alternated rounds of ${SECONDS} s`,
    peer: `Flask + gunicorn (${PEER_WORKERS} sync workers) + psycopg2`,
    kiln: { medianRequestsPerSecond: kilnRps, medianP99Ms: kilnP99, rounds: kilnRuns },
    flaskPeer: { medianRequestsPerSecond: peerRps, medianP99Ms: peerP99, rounds: peerRuns },
    pendingBacklogAtEnd: await countPending(database.url),
    targets: {
      throughputOfPeer: {
        target: `>= ${TARGET.throughputRatio}`,
        actual: throughputRatio,
        met: throughputRatio >= TARGET.throughputRatio,
      },
      p99OfPeer: {
        target: `<= ${TARGET.p99Ratio}`,
        actual: p99Ratio,
        met: p99Ratio <= TARGET.p99Ratio,
      },
    },
  };
}

/** A `sleep` task in the one slot, so every task submitted after it stays pending. */
async function holdTheOnlySlot(client, token) {
  const res = await client.request('POST', '/api/v1/tasks', {
    token,
    body: { name: 'slot-holder', command: ['sleep', '3600'] },
  });
  checkCreated(res);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const task = await client.request('GET', `/api/v1/tasks/${res.body.id}`, { token });
    if (task.body.status === 'running') return;
    await delay(100);
  }
  throw new Error('the slot-holder task did not start');
}

async function startPeer(databaseUrl, token) {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(
    `CREATE TABLE peer_tasks (id uuid PRIMARY KEY, owner_id uuid NOT NULL,
       name varchar(200) NOT NULL, command jsonb NOT NULL, priority integer NOT NULL,
       hyperparameters jsonb NOT NULL, status varchar(16) NOT NULL,
       created_at timestamptz NOT NULL)`,
  );
  await db.end();
  return startGunicorn({
    app: 'submit_peer:app',
    workers: PEER_WORKERS,
    env: { DATABASE_URL: databaseUrl, ...jwtEnvOf(token, JWT_SECRET) },
    maxSockets: CLIENTS,
    // Up once it refuses a request without a token.
    ready: async (client) => (await client.request('POST', '/api/v1/tasks', {})).status === 401,
  });
}

async function countPending(databaseUrl) {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const kiln = await db.query(`SELECT count(*)::int AS n FROM tasks WHERE status = 'pending'`);
  const peer = await db.query('SELECT count(*)::int AS n FROM peer_tasks');
  await db.end();
  return { kiln: kiln.rows[0].n, peer: peer.rows[0].n };
}

/** A discarded warm-up, then the measured run, with the load average and server CPU. */
async function measure(label, send, pids) {
  await closedLoop({ concurrency: CLIENTS, durationMs: WARM_UP_SECONDS * 1000, send });
  const cpu = () => pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const cpuBefore = cpu();
  const result = await closedLoop({ concurrency: CLIENTS, durationMs: SECONDS * 1000, send });
  result.serverCpuMsPerRequest = round(((cpu() - cpuBefore) * 1000) / result.requests, 2);
  result.loadAverage = loadavg().map((value) => round(value, 2));
  note(
    `${label}: ${result.requestsPerSecond} req/s, p99 ${result.latencyMs.p99} ms, ` +
      `server CPU ${result.serverCpuMsPerRequest} ms/request, load ${result.loadAverage.join(' ')}`,
  );
  return result;
}

function checkCreated(res) {
  if (res.status !== 201)
    throw new Error(`${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.status;
}

function median(values) {
  return summarize(values).p50;
}

runBenchmark(main);
