// Start-up benchmark for the embedded default: time from `npm start` (build included,
// from an empty dist/) to GET /health/ready = 200, and the resident memory of the idle
// server afterwards. Prints one JSON object of figures.
const { spawn, execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { setTimeout: delay } = require('node:timers/promises');

const ROOT = resolve(__dirname, '..', '..');
// RSS is read twice: 10 s after ready, when some runs still carry their boot garbage,
// and 30 s after, once V8's memory reducer has run its first idle GC.
const IDLE_SAMPLES_SECONDS = [10, 30];

async function main() {
  const cold = await measureStart({ clean: true });
  const warm = [];
  for (let run = 0; run < 3; run++) warm.push(await measureStart({ clean: false }));
  const figures = {
    benchmark: 'startup',
    coldStartWithBuildMs: cold.readyMs,
    warmStartMs: warm.map((run) => run.readyMs),
    idleRssMiBAt10s: [cold, ...warm].map((run) => run.idleRssMiB[0]),
    idleRssMiBAt30s: [cold, ...warm].map((run) => run.idleRssMiB[1]),
  };
  console.log(JSON.stringify(figures, null, 2));
}

async function measureStart({ clean }) {
  if (clean) rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
  const port = 3900 + Math.floor(Math.random() * 90);
  const started = Date.now();
  const npm = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      KILN_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiln-bench-')),
      NODE_ENV: 'development',
    },
    stdio: 'ignore',
    detached: true,
  });
  try {
    await waitForReady(port, 60_000);
    const readyMs = Date.now() - started;
    const idleRssMiB = [];
    let waited = 0;
    for (const seconds of IDLE_SAMPLES_SECONDS) {
      await delay((seconds - waited) * 1000);
      waited = seconds;
      idleRssMiB.push(rssMiB(serverPid(npm.pid)));
    }
    return { readyMs, idleRssMiB };
  } finally {
    process.kill(-npm.pid, 'SIGTERM');
    await new Promise((done) => npm.once('exit', done));
  }
}

async function waitForReady(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await delay(100);
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}

/** The node process serving dist/main.js under the npm process group. */
function serverPid(groupId) {
  // npm runs the script through `sh -c node [flags] dist/main.js`: match node's own
  // command line (the shell's is `sh -c ...`)
  const out = execFileSync('pgrep', [
    '-g',
    String(groupId),
    '-f',
    '(^|/)node( -[^ ]+)* dist/main\\.js',
  ])
    .toString()
    .trim();
  return Number(out.split('\n')[0]);
}

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  return Math.round((kib / 1024) * 10) / 10;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
