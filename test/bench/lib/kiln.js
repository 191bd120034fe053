// Starts a real Kiln process from the build (dist/main.js: run `npm run build` first) on
// a free port, with its own temporary data dir, and logs in as the bootstrap admin.
const { spawn } = require('node:child_process');
const {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { setTimeout: delay } = require('node:timers/promises');
const { HttpClient } = require('./http');

const ROOT = resolve(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'dist', 'main.js');

/**
 * The node flags `npm start` gives Kiln (its heap budget), so a benchmark measures the
 * process as it ships: the words between `node` and `dist/main.js` in the start script.
 */
function startScriptNodeArgs() {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const match = /\bnode\s+(.*?)\s*dist\/main\.js/.exec(scripts.start);
  if (!match) throw new Error(`cannot find "node ... dist/main.js" in ${scripts.start}`);
  return match[1].split(/\s+/).filter(Boolean);
}
const ADMIN = { username: 'bench-admin', password: 'bench admin password 42' };

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** A YAML config file in `dir` giving the default queue `maxRunning` slots. */
function writeQueueConfig(dir, maxRunning) {
  const path = join(dir, 'kiln.yaml');
  writeFileSync(
    path,
    `tasks:\n  queues:\n    - { name: default, executor: local, maxRunning: ${maxRunning}, maxGpus: 0 }\n`,
  );
  return path;
}

/**
 * Starts Kiln with `env` on top of bench defaults: NODE_ENV=test (for its JWT secret and
 * cheap argon2), but info-level JSON logs as in production, written to a file in the
 * data dir rather than a pipe the benchmark would have to drain.
 */
async function startKiln({ env = {}, queueCapacity = 64, nodeArgs = [] } = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'kiln-bench-'));
  const logPath = join(dataDir, 'kiln.log');
  const log = openSync(logPath, 'a');
  // nodeArgs, or BENCH_KILN_NODE_ARGS for any benchmark: e.g. '--cpu-prof' to profile a
  // run (flags NODE_OPTIONS does not allow).
  const extraArgs = (process.env.BENCH_KILN_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const args = [...startScriptNodeArgs(), ...nodeArgs, ...extraArgs, MAIN];
  const child = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      PORT: String(port),
      KILN_HOST: '127.0.0.1',
      KILN_DATA_DIR: dataDir,
      KILN_LOG_FORMAT: 'json',
      KILN_LOG_LEVEL: 'info',
      KILN_ADMIN_USERNAME: ADMIN.username,
      KILN_ADMIN_PASSWORD: ADMIN.password,
      KILN_ACCESS_TOKEN_TTL_SECONDS: '7200',
      KILN_CONFIG_FILE: writeQueueConfig(dataDir, queueCapacity),
      // Capacity and quota must not be what a benchmark measures.
      KILN_USER_MAX_RUNNING: String(queueCapacity),
      KILN_USER_MAX_PENDING: '1000000',
      KILN_TASKS_MAX_PENDING: '1000000',
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const logTail = () => readFileSync(logPath, 'utf8').split('\n').slice(-40).join('\n');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(forced);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForReady(url, child, 60_000);
  } catch (error) {
    const tail = logTail();
    await stop();
    throw new Error(`${error.message}\n${tail}`);
  }
  return { url, pid: child.pid, dataDir, logTail, stop };
}

async function waitForReady(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Kiln exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await delay(100);
  }
  throw new Error(`Kiln not ready within ${timeoutMs} ms`);
}

/** Logs in as the bootstrap admin: { client, token, adminId }. */
async function loginAdmin(url, { maxSockets = 64 } = {}) {
  const client = new HttpClient(url, { maxSockets });
  const login = await client.request('POST', '/api/v1/auth/login', { body: ADMIN });
  if (login.status !== 200)
    throw new Error(`admin login: ${login.status} ${JSON.stringify(login.body)}`);
  const token = login.body.accessToken;
  const me = await client.request('GET', '/api/v1/auth/me', { token });
  return { client, token, adminId: me.body.id };
}

module.exports = { startKiln, loginAdmin, freePort, startScriptNodeArgs, MAIN };
