'use strict';
// Kiln's process launcher: a small Node process that Kiln forks once and asks, over the
// IPC channel, to start each local run. Starting a process means fork + exec, and a
// fork copies the page tables of the process that calls it: from Kiln's heap of a
// couple of hundred MiB that blocks Kiln's event loop for milliseconds per run, from
// this process's few MiB it costs next to nothing (test/bench/spawn-cost.bench.js).
//
// Plain JavaScript, loaded by Node as it is: it must start without Kiln's modules or a
// TypeScript loader, in the build and in the tests alike.
//
// What it hears (see ProcessLauncher, which speaks for Kiln):
//   { op: 'spawn', id, file, args, cwd, env, uid, gid }   start a run's process
//   { op: 'release', id }     stop reading output a finished run's leftovers hold open
// What it says, for each id, in this order:
//   { id, event: 'spawn', pid, stat }  or  { id, event: 'error', message }
//   { id, event: 'output', fd, data }  each chunk the process writes (fd 1 or 2)
//   { id, event: 'exit', code, signal }, then { id, event: 'close' } once its pipes closed
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');

const children = new Map();

process.on('message', (message) => {
  if (message.op === 'spawn') start(message);
  else if (message.op === 'release') release(message.id);
});

// Kiln exited, or was killed. Nobody reads the runs' output or sees them end any more,
// and the next Kiln process takes them for lost and retries them: stop them now, so a
// run never finishes unseen beside its own retry, and its GPUs are free at once. (A
// sandboxed run would die with this process anyway: bubblewrap's --die-with-parent.)
process.on('disconnect', () => {
  for (const child of children.values()) killGroup(child.pid);
  process.exit(0);
});

function start({ id, file, args, cwd, env, uid, gid }) {
  let child;
  try {
    // detached: its own session and process group, so a stop reaches every process the
    // run started.
    child = spawn(file, args, {
      cwd,
      env,
      uid,
      gid,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    send({ id, event: 'error', message: error.message });
    return;
  }
  if (child.pid === undefined) {
    // Node reports a command that cannot start (ENOENT, EACCES) on the next tick.
    child.once('error', (error) => send({ id, event: 'error', message: error.message }));
    return;
  }
  children.set(id, child);
  // Read now: a command that exits at once is reaped on the next turn of the loop, and
  // its /proc entry, which holds the start time that tells a reused pid apart, with it.
  send({ id, event: 'spawn', pid: child.pid, stat: readStat(child.pid) });
  forwardOutput(id, child.stdout, 1);
  forwardOutput(id, child.stderr, 2);
  child.once('exit', (code, signal) => send({ id, event: 'exit', code, signal }));
  child.once('close', () => {
    children.delete(id);
    send({ id, event: 'close' });
  });
}

function forwardOutput(id, stream, fd) {
  stream.on('data', (data) => {
    // Backpressure: a run that writes faster than Kiln reads waits, as it would on a pipe.
    if (!send({ id, event: 'output', fd, data }, () => stream.resume())) stream.pause();
  });
}

function release(id) {
  const child = children.get(id);
  if (!child) return;
  child.stdout.destroy();
  child.stderr.destroy();
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

function readStat(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
}

function send(message, callback) {
  if (!process.connected) return true;
  return process.send(message, callback);
}
