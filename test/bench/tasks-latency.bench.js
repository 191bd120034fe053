// Submit → running latency on the embedded default (SQLite, in-process queue and lock,
// local executor): a command that exits at once (`true`), submitted at a steady
// 20 per second for 30 s. Per task: from the moment the client sends the POST (client
// clock) to the task's startedAt (server clock, set by the queued → running conditional
// update, just before the executor spawns the process). Both clocks are this machine's.
// Targets: p50 ≤ 50 ms, p99 ≤ 200 ms. Prints one JSON object of figures.
const { note, onCleanup, runBenchmark } = require('./lib/bench');
const { loginAdmin, startKiln } = require('./lib/kiln');
const { summarize } = require('./lib/stats');
const { allTasks, waitUntilSettled, warmUp } = require('./lib/tasks');
const { setTimeout: delay } = require('node:timers/promises');

const RATE_PER_SECOND = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARM_UP_TASKS = 40;
const TARGET = { p50Ms: 50, p99Ms: 200 };

async function main() {
  // Capacity 64 so the queue never holds a task back: this measures Kiln's own path.
  const kiln = await startKiln({ queueCapacity: 64 });
  onCleanup(kiln.stop);
  const { client, token } = await loginAdmin(kiln.url);
  onCleanup(() => client.close());
  note(`Kiln up at ${kiln.url}; warming up with ${WARM_UP_TASKS} tasks`);
  await warmUp(client, token, WARM_UP_TASKS);

  const total = RATE_PER_SECOND * SECONDS;
  note(`submitting ${total} tasks at ${RATE_PER_SECOND}/s`);
  const submits = await submitAtRate(client, token, total, RATE_PER_SECOND);
  await waitUntilSettled(client, token, 120_000);
  const tasks = await allTasks(client, token);

  const rejected = submits.filter((submit) => submit.status !== 201);
  const measured = submits
    .filter((submit) => submit.status === 201)
    .map((submit) => ({ submit, task: tasks.get(submit.id) }));
  const notStarted = measured.filter(({ task }) => !task?.startedAt);
  const started = measured.filter(({ task }) => task?.startedAt);
  const at = (iso) => Date.parse(iso);
  const latency = summarize(started.map(({ submit, task }) => at(task.startedAt) - submit.sentAt));
  const figures = {
    benchmark: 'tasks-latency',
    mode: 'embedded default: SQLite, in-process queue, local executor',
    measuredFrom: 'client sends POST /api/v1/tasks',
    measuredTo: 'task.startedAt (server clock, queued → running update, before spawn)',
    ratePerSecond: RATE_PER_SECOND,
    seconds: SECONDS,
    submitted: submits.length,
    rejected: rejected.length,
    notStarted: notStarted.length,
    succeeded: started.filter(({ task }) => task.status === 'succeeded').length,
    submitToRunningMs: latency,
    // Where the time goes: the POST itself (client clock), then queued and started
    // stamps (server clock) relative to the moment the client sent the POST.
    breakdownMs: {
      postRoundTrip: summarize(started.map(({ submit }) => submit.answeredAt - submit.sentAt)),
      sentToQueued: summarize(started.map(({ submit, task }) => at(task.queuedAt) - submit.sentAt)),
      queuedToRunning: summarize(started.map(({ task }) => at(task.startedAt) - at(task.queuedAt))),
    },
    targets: {
      p50Ms: {
        target: `<= ${TARGET.p50Ms}`,
        actual: latency.p50,
        met: latency.p50 <= TARGET.p50Ms,
      },
      p99Ms: {
        target: `<= ${TARGET.p99Ms}`,
        actual: latency.p99,
        met: latency.p99 <= TARGET.p99Ms,
      },
    },
  };
  if (rejected.length > 0) figures.firstRejection = rejected[0].body;
  return figures;
}

/** Open loop: the i-th POST goes out at start + i / rate, whether or not earlier ones answered. */
async function submitAtRate(client, token, total, ratePerSecond) {
  const start = Date.now() + 100;
  const pending = [];
  for (let index = 0; index < total; index++) {
    const wait = start + (index * 1000) / ratePerSecond - Date.now();
    if (wait > 0) await delay(wait);
    pending.push(submitOne(client, token, index));
  }
  return Promise.all(pending);
}

async function submitOne(client, token, index) {
  const sentAt = Date.now();
  const res = await client.request('POST', '/api/v1/tasks', {
    token,
    body: { name: `latency-${index}`, command: ['true'] },
  });
  return { sentAt, answeredAt: Date.now(), status: res.status, id: res.body?.id, body: res.body };
}

runBenchmark(main);
