// Starts one of the benchmarks' bare Node servers (lib/bare-*.js) as a child process on a
// free port: its own event loop, as Kiln has, so CPU time read from /proc is its alone.
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { HttpClient } = require('./http');
const { freePort } = require('./kiln');

/** Runs `lib/<script>` with `env` and PORT, once it prints "listening"; a client to it. */
async function startNodeServer(script, { env = {}, maxSockets }) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, script)], {
    env: { PATH: process.env.PATH, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((done) => child.once('exit', done));
  await new Promise((done, fail) => {
    child.stdout.on('data', (chunk) => chunk.toString().includes('listening') && done());
    child.once('exit', (code) => fail(new Error(`${script} exited with ${code}`)));
  });
  const client = new HttpClient(`http://127.0.0.1:${port}`, { maxSockets });
  return {
    client,
    pid: child.pid,
    stop: async () => {
      client.close();
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

module.exports = { startNodeServer };
