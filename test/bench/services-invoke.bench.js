// The cost of Kiln's service endpoint: the same load sent to one replica of the example
// model server directly, through a bare Fastify + @fastify/reply-from proxy (the floor of
// any proxy on this stack: lib/bare-proxy-server.js) and through
// POST /api/v1/services/{name}/invoke/predict, on the embedded default with the local
// runtime. Closed loop, 8 clients, BENCH_SECONDS (10) per contender and round, the three
// alternated over BENCH_ROUNDS (3) rounds, medians reported, the load average beside each
// round. Targets: added p50 ≤ 2 ms, throughput through Kiln ≥ 70% of direct. Prints one
// JSON object of figures, with the CPU time each proxy spent per request (from /proc: on a
// shared machine the latency includes the wait for a core, the CPU time much less so).
const { readdirSync, readFileSync } = require('node:fs');
const { loadavg } = require('node:os');
const { join, resolve } = require('node:path');
const { setTimeout: delay } = require('node:timers/promises');
const { note, onCleanup, runBenchmark } = require('./lib/bench');
const { HttpClient } = require('./lib/http');
const { loginAdmin, startKiln } = require('./lib/kiln');
const { closedLoop } = require('./lib/load');
const { startNodeServer } = require('./lib/node-server');
const { cpuSeconds } = require('./lib/proc');
const { round: roundTo } = require('./lib/stats');

const EXAMPLES = resolve(__dirname, '..', '..', 'examples');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = 8;
const BODY = { instances: [[1, 2, 3, 4]] };
const TARGET = { addedP50Ms: 2, throughputRatio: 0.7 };

async function waitFor(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await delay(200);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

/** The loopback port of the service's replica, read from its environment as an operator would. */
function replicaPort(serviceId) {
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    let environ = '';
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue;
    }
    if (!environ.includes(`KILN_SERVICE_ID=${serviceId}\0`)) continue;
    const port = /KILN_SERVICE_PORT=(\d+)\0/.exec(environ);
    if (port) return Number(port[1]);
  }
  return undefined;
}

async function main() {
  const kiln = await startKiln();
  onCleanup(kiln.stop);
  const { client, token } = await loginAdmin(kiln.url);
  onCleanup(() => client.close());

  note('training the example model');
  const task = await client.request('POST', '/api/v1/tasks', {
    token,
    body: {
      name: 'bench model',
      command: ['python3', join(EXAMPLES, 'logistic_regression.py')],
      hyperparameters: { epochs: 5, samples: 200 },
    },
  });
  await waitFor('training', async () => {
    const { body } = await client.request('GET', `/api/v1/tasks/${task.body.id}`, { token });
    if (['failed', 'timed_out', 'cancelled'].includes(body.status))
      throw new Error(`training ${body.status}`);
    return body.status === 'succeeded';
  });

  note('deploying one replica');
  const created = await client.request('POST', '/api/v1/services', {
    token,
    body: {
      name: 'bench',
      command: ['python3', join(EXAMPLES, 'serve_logistic_regression.py')],
      model: { taskId: task.body.id, path: 'model.json' },
      replicas: 1,
    },
  });
  if (created.status !== 201) throw new Error(`deploy: ${JSON.stringify(created.body)}`);
  await waitFor('the service to be ready', async () => {
    const { body } = await client.request('GET', '/api/v1/services/bench', { token });
    return body.status === 'ready';
  });
  const port = replicaPort(created.body.id);
  if (!port) throw new Error('no replica process found');

  const bare = await startNodeServer('bare-proxy-server.js', {
    env: { UPSTREAM: `http://127.0.0.1:${port}` },
    maxSockets: CONCURRENCY,
  });
  onCleanup(bare.stop);
  const direct = new HttpClient(`http://127.0.0.1:${port}`, { maxSockets: CONCURRENCY });
  const throughKiln = new HttpClient(kiln.url, { maxSockets: CONCURRENCY });
  onCleanup(() => direct.close());
  onCleanup(() => throughKiln.close());
  const send = (http, path, withToken) => async () =>
    (await http.request('POST', path, { body: BODY, token: withToken ? token : undefined })).status;
  const contenders = [
    { name: 'direct', send: send(direct, '/predict') },
    { name: 'bareProxy', pid: bare.pid, send: send(bare.client, '/invoke/predict') },
    {
      name: 'throughKiln',
      pid: kiln.pid,
      send: send(throughKiln, '/api/v1/services/bench/invoke/predict', true),
    },
  ];

  note('warming up');
  for (const contender of contenders)
    await closedLoop({ concurrency: CONCURRENCY, durationMs: 2000, send: contender.send });
  const rounds = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const figures = { round };
    for (const contender of contenders) figures[contender.name] = await measure(contender);
    figures.loadAverage = loadavg().map((value) => roundTo(value, 2));
    note(
      `round ${round}: ${describeRound(figures, contenders)}, load ${figures.loadAverage.join(' ')}`,
    );
    rounds.push(figures);
  }
  const medians = Object.fromEntries(
    contenders.map(({ name }) => [name, medianFigures(rounds.map((figures) => figures[name]))]),
  );
  const addedP50Ms = roundTo(medians.throughKiln.p50Ms - medians.direct.p50Ms);
  const throughputRatio = roundTo(medians.throughKiln.rps / medians.direct.rps, 2);
  return {
    benchmark: 'services-invoke',
    mode: 'embedded default: SQLite, local runtime, one replica of examples/serve_logistic_regression.py',
    concurrency: CONCURRENCY,
    secondsPerRun: SECONDS,
    rounds,
    medians,
    addedP50Ms,
    throughputRatio,
    bareProxyRatio: roundTo(medians.bareProxy.rps / medians.direct.rps, 2),
    kilnToBareProxy: roundTo(medians.throughKiln.rps / medians.bareProxy.rps, 2),
    targets: TARGET,
    met: {
      addedP50: addedP50Ms <= TARGET.addedP50Ms,
      throughput: throughputRatio >= TARGET.throughputRatio,
    },
  };
}

/** One closed-loop run of a contender: req/s, p50/p99 and, for a proxy, its CPU per request. */
async function measure({ send, pid }) {
  const cpuBefore = pid ? cpuSeconds(pid) : 0;
  const run = await closedLoop({ concurrency: CONCURRENCY, durationMs: SECONDS * 1000, send });
  if (run.errors) throw new Error(`${run.errors} requests failed`);
  return {
    rps: run.requestsPerSecond,
    p50Ms: run.latencyMs.p50,
    p99Ms: run.latencyMs.p99,
    cpuMsPerRequest: pid ? roundTo(((cpuSeconds(pid) - cpuBefore) * 1000) / run.requests, 2) : null,
  };
}

function medianFigures(runs) {
  const median = (key) => {
    const values = runs.map((run) => run[key]).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)];
  };
  const cpu = runs[0].cpuMsPerRequest === null ? null : median('cpuMsPerRequest');
  return {
    rps: median('rps'),
    p50Ms: median('p50Ms'),
    p99Ms: median('p99Ms'),
    cpuMsPerRequest: cpu,
  };
}

function describeRound(figures, contenders) {
  return contenders
    .map(({ name }) => {
      const { rps, p50Ms, cpuMsPerRequest } = figures[name];
      const cpu = cpuMsPerRequest === null ? '' : ` (${cpuMsPerRequest} ms CPU/req)`;
      return `${name} ${rps} req/s p50 ${p50Ms} ms${cpu}`;
    })
    .join(', ');
}

runBenchmark(main);
