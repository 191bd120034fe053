// The cost of Kiln's service endpoint: the same load sent to one replica of the example
// model server directly and through POST /api/v1/services/{name}/invoke/predict, in the
// same run, on the embedded default with the local runtime. Closed loop, 8 clients,
// 10 s each way (BENCH_SECONDS), direct first. Targets: added p50 ≤ 2 ms, throughput
// through Kiln ≥ 70% of direct. Prints one JSON object of figures, with the CPU time Kiln
// spent per request through it (from /proc: on a shared machine the latency includes the
// wait for a core, the CPU time much less so).
const { readdirSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { setTimeout: delay } = require('node:timers/promises');
const { note, onCleanup, runBenchmark } = require('./lib/bench');
const { HttpClient } = require('./lib/http');
const { loginAdmin, startKiln } = require('./lib/kiln');
const { closedLoop } = require('./lib/load');
const { cpuSeconds } = require('./lib/proc');
const { round } = require('./lib/stats');

const EXAMPLES = resolve(__dirname, '..', '..', 'examples');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
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

  const direct = new HttpClient(`http://127.0.0.1:${port}`, { maxSockets: CONCURRENCY });
  const throughKiln = new HttpClient(kiln.url, { maxSockets: CONCURRENCY });
  onCleanup(() => direct.close());
  onCleanup(() => throughKiln.close());
  const send = (http, path, withToken) => async () =>
    (await http.request('POST', path, { body: BODY, token: withToken ? token : undefined })).status;

  note('warming up');
  await closedLoop({ concurrency: CONCURRENCY, durationMs: 2000, send: send(direct, '/predict') });
  await closedLoop({
    concurrency: CONCURRENCY,
    durationMs: 2000,
    send: send(throughKiln, '/api/v1/services/bench/invoke/predict', true),
  });
  note(`measuring ${SECONDS}s direct, then ${SECONDS}s through Kiln`);
  const directRun = await closedLoop({
    concurrency: CONCURRENCY,
    durationMs: SECONDS * 1000,
    send: send(direct, '/predict'),
  });
  const cpuBefore = cpuSeconds(kiln.pid);
  const kilnRun = await closedLoop({
    concurrency: CONCURRENCY,
    durationMs: SECONDS * 1000,
    send: send(throughKiln, '/api/v1/services/bench/invoke/predict', true),
  });
  const kilnCpuMsPerRequest = round(
    ((cpuSeconds(kiln.pid) - cpuBefore) * 1000) / kilnRun.requests,
    2,
  );
  const addedP50Ms = round(kilnRun.latencyMs.p50 - directRun.latencyMs.p50);
  const throughputRatio = round(kilnRun.requestsPerSecond / directRun.requestsPerSecond, 2);
  return {
    benchmark: 'services-invoke',
    mode: 'embedded default: SQLite, local runtime, one replica of examples/serve_logistic_regression.py',
    concurrency: CONCURRENCY,
    direct: directRun,
    throughKiln: kilnRun,
    kilnCpuMsPerRequest,
    addedP50Ms,
    throughputRatio,
    targets: TARGET,
    met: {
      addedP50: addedP50Ms <= TARGET.addedP50Ms,
      throughput: throughputRatio >= TARGET.throughputRatio,
    },
  };
}

runBenchmark(main);
