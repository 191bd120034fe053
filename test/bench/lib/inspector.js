// The live heap of a running Kiln process, for leak checks: SIGUSR1 opens Node's
// inspector on 127.0.0.1:9229 (the process itself is not restarted), and the DevTools
// protocol forces a full garbage collection and reads process.memoryUsage() right after.
// RSS alone cannot show a leak: V8 keeps freed heap pages for a while after a burst.
const WebSocket = require('ws');
const { setTimeout: delay } = require('node:timers/promises');

const INSPECTOR_URL = 'http://127.0.0.1:9229/json/list';

/** Opens the inspector of `pid`; resolves to a session with `liveHeap()` and `close()`. */
async function inspect(pid) {
  process.kill(pid, 'SIGUSR1');
  const socket = new WebSocket(await debuggerUrl(10_000));
  await new Promise((opened, failed) => {
    socket.once('open', opened);
    socket.once('error', failed);
  });
  const pending = new Map();
  let nextId = 1;
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    const reply = pending.get(message.id);
    if (!reply) return;
    pending.delete(message.id);
    if (message.error) reply.failed(new Error(message.error.message));
    else reply.done(message.result);
  });
  const call = (method, params = {}) =>
    new Promise((done, failed) => {
      const id = nextId++;
      pending.set(id, { done, failed });
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    /** Heap used and RSS in MiB right after a full collection. */
    async liveHeap() {
      await call('HeapProfiler.collectGarbage');
      const { result } = await call('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      });
      const usage = JSON.parse(result.value);
      const mib = (bytes) => Math.round((bytes / 1048576) * 10) / 10;
      return { heapUsedMiB: mib(usage.heapUsed), rssMiB: mib(usage.rss) };
    },
    close: () => socket.close(),
  };
}

async function debuggerUrl(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let problem = 'no target';
    try {
      const [target] = await (await fetch(INSPECTOR_URL)).json();
      if (target) return target.webSocketDebuggerUrl;
    } catch (error) {
      problem = String(error);
    }
    if (Date.now() > deadline) throw new Error(`no inspector at ${INSPECTOR_URL}: ${problem}`);
    await delay(100);
  }
}

module.exports = { inspect };
