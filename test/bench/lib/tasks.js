// Task helpers shared by the task benchmarks, over the REST API as the admin.
const { setTimeout: delay } = require('node:timers/promises');

const ACTIVE = 'pending,queued,running,cancelling';

/** Polls until no task is pending, queued, running or cancelling. */
async function waitUntilSettled(client, token, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const page = await client.request('GET', `/api/v1/tasks?status=${ACTIVE}&limit=1`, { token });
    if (page.status !== 200) throw new Error(`list: ${page.status} ${JSON.stringify(page.body)}`);
    if (page.body.items.length === 0) return;
    await delay(250);
  }
  throw new Error(`tasks still active after ${timeoutMs} ms`);
}

/** Every task the admin sees, by id (pages of 200). */
async function allTasks(client, token) {
  const byId = new Map();
  let cursor = null;
  do {
    const query = `limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await client.request('GET', `/api/v1/tasks?${query}`, { token });
    if (page.status !== 200) throw new Error(`list: ${page.status} ${JSON.stringify(page.body)}`);
    for (const task of page.body.items) byId.set(task.id, task);
    cursor = page.body.nextCursor;
  } while (cursor);
  return byId;
}

/** Submits `count` trivial tasks, `inFlight` at a time, and waits for them to settle. */
async function warmUp(client, token, count, inFlight = 8) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const res = await client.request('POST', '/api/v1/tasks', {
        token,
        body: { name: `warm-up-${index}`, command: ['true'] },
      });
      if (res.status !== 201)
        throw new Error(`warm-up submit: ${res.status} ${JSON.stringify(res.body)}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  await waitUntilSettled(client, token, 120_000);
}

module.exports = { waitUntilSettled, allTasks, warmUp };
