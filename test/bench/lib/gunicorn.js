// The Python peers of the benchmarks run as Flask apps under gunicorn with sync workers,
// Debian's interpreter and packages (peers/setup.sh). This starts one, waits until it
// answers, and gives the pids whose CPU counts as the peer's (the arbiter and workers).
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { setTimeout: delay } = require('node:timers/promises');
const { HttpClient } = require('./http');
const { freePort } = require('./kiln');

/** Debian's interpreter, which the packages of peers/setup.sh install into. */
const PYTHON = process.env.PEER_PYTHON ?? '/usr/bin/python3';
const START_TIMEOUT_MS = 30_000;

/**
 * Starts `app` (module:variable in test/bench/peers) with `workers` sync workers and
 * `env`; resolves once `ready(client)` resolves true.
 */
async function startGunicorn({ app, workers, env, maxSockets, ready }) {
  const port = await freePort();
  const child = spawn(
    PYTHON,
    [
      '-m',
      'gunicorn',
      '--workers',
      String(workers),
      '--bind',
      `127.0.0.1:${port}`,
      '--log-level',
      'warning',
      app,
    ],
    {
      cwd: join(__dirname, '..', 'peers'),
      env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1', ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const exited = new Promise((done) => child.once('exit', done));
  const client = new HttpClient(`http://127.0.0.1:${port}`, { maxSockets });
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gunicorn (${app}) exited with ${child.exitCode}`);
    if (await ready(client).catch(() => false)) break;
    if (Date.now() > deadline) throw new Error(`${app} did not start`);
    await delay(200);
  }
  return {
    client,
    pids: () => [child.pid, ...childrenOf(child.pid)],
    stop: async () => {
      client.close();
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Issuer, audience and subject of Kiln's access token, for a peer to check the same. */
function jwtEnvOf(token, secret) {
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
  return {
    PEER_JWT_SECRET: secret,
    PEER_JWT_ISSUER: claims.iss,
    PEER_JWT_AUDIENCE: Array.isArray(claims.aud) ? claims.aud[0] : claims.aud,
  };
}

function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

module.exports = { jwtEnvOf, startGunicorn };
