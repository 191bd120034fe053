// GET /api/v1/tasks?limit=50 on PostgreSQL. Tasks are seeded straight into
// the database Kiln migrated (one INSERT ... SELECT FROM generate_series per step, all
// owned by the admin, all `succeeded` so the dispatcher and reconciler leave them be):
//   - 100,000 tasks: requests/s of Kiln (admin access token), of a bare Fastify + pg
//     server running the same SQL (lib/bare-list-server.js) and of the list peer, Flask
//     under gunicorn with PEER_WORKERS sync workers and psycopg2 (peers/list_peer.py),
//     which checks the same access token and answers the same JSON byte for byte (checked
//     before measuring); BENCH_CLIENTS closed-loop clients, the three alternating for
//     BENCH_ROUNDS rounds of BENCH_SECONDS, the load average printed beside each round;
//   - p99 latency of Kiln at 10,000 and at 1,000,000 tasks, under the same load.
// Kiln's /health/live and /auth/me under the same load show where its time goes. Needs
// the Debian packages that test/bench/peers/setup.sh installs. Targets: Kiln >= 0.7 of
// bare's throughput and >= 2x the peer's; p99(1M) <= 1.5 x p99(10k).
// Prints one JSON object of figures.
const { loadavg } = require('node:os');
const { Client } = require('pg');
const { note, onCleanup, runBenchmark } = require('./lib/bench');
const { jwtEnvOf, startGunicorn } = require('./lib/gunicorn');
const { loginAdmin, startKiln } = require('./lib/kiln');
const { closedLoop } = require('./lib/load');
const { startNodeServer } = require('./lib/node-server');
const { cpuSeconds } = require('./lib/proc');
const { round, summarize } = require('./lib/stats');
const { createDatabase, createRedisPrefix } = require('./lib/stores');

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** The side-by-side comparison alternates the servers this many times. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PEER_WORKERS = Number(process.env.PEER_WORKERS ?? 4);
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret';
const WARM_UP_SECONDS = 3;
/** Before the first measurement: JIT, pools and caches of both servers warm. */
const FIRST_WARM_UP_SECONDS = 10;
const PATH = '/tasks?limit=50';
const TARGET = { shareOfBare: 0.7, ofPeer: 2, p99Ratio: 1.5 };

async function main() {
  const database = await createDatabase('kiln_bench_list');
  onCleanup(database.drop);
  const redis = createRedisPrefix('kiln-bench-list');
  onCleanup(redis.cleanup);
  const kiln = await startKiln({
    env: {
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: redis.url,
      KILN_REDIS_KEY_PREFIX: redis.prefix,
      KILN_JWT_SECRET: JWT_SECRET,
    },
  });
  onCleanup(kiln.stop);
  const { client, token, adminId } = await loginAdmin(kiln.url, { maxSockets: CLIENTS });
  onCleanup(() => client.close());
  const bare = await startNodeServer('bare-list-server.js', {
    env: { DATABASE_URL: database.url, POOL_SIZE: '10' },
    maxSockets: CLIENTS,
  });
  onCleanup(bare.stop);
  const peer = await startGunicorn({
    app: 'list_peer:app',
    workers: PEER_WORKERS,
    env: { DATABASE_URL: database.url, ...jwtEnvOf(token, JWT_SECRET) },
    maxSockets: CLIENTS,
    ready: async (peerClient) => (await peerClient.request('GET', `/api/v1${PATH}`)).status === 401,
  });
  onCleanup(peer.stop);
  const db = new Client({ connectionString: database.url });
  await db.connect();
  onCleanup(() => db.end());

  const seeder = new Seeder(db, adminId);
  const kilnList = () => client.request('GET', `/api/v1${PATH}`, { token }).then(checkPage);
  const bareList = () => bare.client.request('GET', PATH).then(checkPage);
  const peerList = () => peer.client.request('GET', `/api/v1${PATH}`, { token }).then(checkPage);
  const kilnPids = () => [kiln.pid];
  // Where Kiln's time goes: its floor (a public route, no database) and the cost of
  // authentication (JWT + user and session reads) without the list.
  const kilnLive = () => client.request('GET', '/health/live').then(checkOk);
  const kilnMe = () => client.request('GET', '/api/v1/auth/me', { token }).then(checkOk);

  await seeder.seedTo(10_000);
  await checkSameBytes(client, peer.client, token);
  note(`warming the servers up for ${FIRST_WARM_UP_SECONDS} s each`);
  for (const send of [kilnList, bareList, peerList]) {
    await closedLoop({ concurrency: CLIENTS, durationMs: FIRST_WARM_UP_SECONDS * 1000, send });
  }
  const kiln10k = await measure('Kiln, 10k tasks', kilnList, kilnPids);
  await seeder.seedTo(100_000);
  const [kiln100k, bare100k, peer100k] = await sideBySide([
    ['Kiln, 100k tasks', kilnList, kilnPids],
    ['bare, 100k tasks', bareList, () => [bare.pid]],
    ['Flask peer, 100k tasks', peerList, peer.pids],
  ]);
  const live = await measure('Kiln, GET /health/live', kilnLive, kilnPids);
  const me = await measure('Kiln, GET /api/v1/auth/me', kilnMe, kilnPids);
  await seeder.seedTo(1_000_000);
  const kiln1m = await measure('Kiln, 1M tasks', kilnList, kilnPids);

  const shareOfBare = round(kiln100k.requestsPerSecond / bare100k.requestsPerSecond, 3);
  const ofPeer = round(kiln100k.requestsPerSecond / peer100k.requestsPerSecond, 3);
  const p99Ratio = round(kiln1m.latencyMs.p99 / kiln10k.latencyMs.p99, 2);
  return {
    benchmark: 'tasks-list',
    request: `GET /api/v1${PATH} as the admin (access token), ${CLIENTS} clients, ${SECONDS} s per run`,
    peer: `Flask + gunicorn (${PEER_WORKERS} sync workers) + psycopg2, same SQL and JSON`,
    seedSeconds: seeder.seconds,
    at100k: {
      kiln: kiln100k,
      bare: bare100k,
      flaskPeer: peer100k,
      kilnShareOfBare: shareOfBare,
      kilnOfPeer: ofPeer,
    },
    kilnOtherRoutesSameLoad: { healthLive: live, authMe: me },
    p99: { at10k: kiln10k, at1m: kiln1m, ratio1mTo10k: p99Ratio },
    targets: {
      throughputShareOfBare: {
        target: `>= ${TARGET.shareOfBare}`,
        actual: shareOfBare,
        met: shareOfBare >= TARGET.shareOfBare,
      },
      throughputOfPeer: {
        target: `>= ${TARGET.ofPeer}`,
        actual: ofPeer,
        met: ofPeer >= TARGET.ofPeer,
      },
      p99Ratio1mTo10k: {
        target: `<= ${TARGET.p99Ratio}`,
        actual: p99Ratio,
        met: p99Ratio <= TARGET.p99Ratio,
      },
    },
  };
}

/**
 * The machine is shared, so its load drifts: alternate the contenders for ROUNDS rounds
 * of SECONDS each and pool each one's rounds, rather than run one after the other once.
 */
async function sideBySide(contenders) {
  const rounds = contenders.map(() => []);
  for (let turn = 1; turn <= ROUNDS; turn++) {
    for (const [index, [label, send, pids]] of contenders.entries()) {
      rounds[index].push(await measure(`${label} (round ${turn})`, send, pids));
    }
  }
  return rounds.map(pooled);
}

function pooled(runs) {
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const cpu = runs.reduce((sum, run) => sum + run.serverCpuCores * run.seconds, 0);
  return {
    concurrency: runs[0].concurrency,
    rounds: runs.length,
    seconds: round(seconds),
    requests,
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    requestsPerSecond: round(requests / seconds),
    requestsPerSecondByRound: runs.map((run) => run.requestsPerSecond),
    latencyMs: summarize(runs.flatMap((run) => run.samples)),
    serverCpuCores: round(cpu / seconds, 2),
    loadAverageByRound: runs.map((run) => run.loadAverage),
  };
}

/**
 * A short discarded warm-up, then the measured run, with the CPU the server's processes
 * `pids()` used meanwhile (1.0 = one core busy: a Node server's event loop is saturated)
 * and the load average at its end.
 */
async function measure(label, send, pids) {
  await closedLoop({ concurrency: CLIENTS, durationMs: WARM_UP_SECONDS * 1000, send });
  const cpu = () => pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const cpuBefore = cpu();
  const result = await closedLoop({ concurrency: CLIENTS, durationMs: SECONDS * 1000, send });
  result.serverCpuCores = round((cpu() - cpuBefore) / result.seconds, 2);
  result.loadAverage = loadavg().map((value) => round(value, 2));
  note(
    `${label}: ${result.requestsPerSecond} req/s, p99 ${result.latencyMs.p99} ms, ` +
      `server CPU ${result.serverCpuCores} cores, load ${result.loadAverage.join(' ')}`,
  );
  return result;
}

/** The peer must answer what Kiln answers, byte for byte, or the comparison is void. */
async function checkSameBytes(kilnClient, peerClient, token) {
  const [kiln, peer] = await Promise.all(
    [kilnClient, peerClient].map((http) => http.request('GET', `/api/v1${PATH}`, { token })),
  );
  if (kiln.text === peer.text) {
    note(`the peer's page is byte-identical to Kiln's (${Buffer.byteLength(kiln.text)} bytes)`);
    return;
  }
  let at = 0;
  while (kiln.text[at] === peer.text[at]) at++;
  throw new Error(
    `the list peer's JSON differs from Kiln's at byte ${at}:\n` +
      `  Kiln: ${kiln.text.slice(Math.max(0, at - 80), at + 80)}\n` +
      `  peer: ${peer.text.slice(Math.max(0, at - 80), at + 80)}`,
  );
}

function checkOk(res) {
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.status;
}

/** A list answer counts only if it is a full page; anything else is an error. */
function checkPage(res) {
  if (res.status !== 200 || res.body.items.length !== 50) {
    throw new Error(`bad page: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  return res.status;
}

/** Grows the tasks table to a given size, newest tasks last (created_at rises with n). */
class Seeder {
  constructor(db, ownerId) {
    this.db = db;
    this.ownerId = ownerId;
    this.count = 0;
    this.seconds = {};
  }

  async seedTo(total) {
    const started = Date.now();
    await this.db.query(
      `INSERT INTO tasks (id, owner_id, name, description, labels, queue, priority, command,
         shell, image, working_dir, env, hyperparameters, cpu_millis, memory_mib, gpu,
         max_retries, retry_backoff_seconds, timeout_seconds, depends_on, no_retry_exit_codes, status,
         progress_permille, attempt, retries_used, lost_count, exit_code, failure_reason,
         not_before, version, idempotency_key, idempotency_fingerprint, created_at,
         updated_at, queued_at, started_at, finished_at)
       SELECT gen_random_uuid(), $1, 'seeded-' || n, NULL, '{}'::jsonb, 'default', 0,
         '["python3","train.py"]'::jsonb, false, NULL, NULL, '{}'::jsonb,
         '{"learning_rate":0.01,"epochs":10}'::jsonb, 1000, 512, 0, 0, 10, NULL,
         '[]'::jsonb, '[]'::jsonb, 'succeeded', 1000, 1, 0, 0, 0, NULL, NULL, 1, NULL, NULL,
         at, at, at, at, at + interval '1 minute'
       FROM generate_series($2::int, $3::int) AS n,
         LATERAL (SELECT timestamptz '2026-01-01' + n * interval '1 second' AS at) AS t`,
      [this.ownerId, this.count + 1, total],
    );
    await this.db.query('ANALYZE tasks');
    this.seconds[`to${total}`] = round((Date.now() - started) / 1000);
    note(`seeded ${total - this.count} tasks (now ${total}) in ${this.seconds[`to${total}`]} s`);
    this.count = total;
  }
}

runBenchmark(main);
