// The cost of starting a run's process from Kiln's side of the fork. Node's spawn forks
// the calling process (libuv's fork + exec on Linux), and the fork copies the page tables
// of the whole heap on the event loop's thread, so its cost grows with the caller's
// resident memory; a process of Kiln's size (150-200 MiB) pays it for every run. Measured
// here, BENCH_SPAWNS sequential starts of `true` each:
//   - spawn from this process, with 0 and BALLAST_MIB of touched heap (Kiln's size);
//   - through a pre-forked launcher (lib/spawn-launcher.js, a small Node process asked
//     over IPC), from this process carrying the same ballast;
//   - Python's os.posix_spawn (vfork-style: no page-table copy) with the same ballast,
//     the mechanism the Python peers' subprocess module uses.
// Per start: wall time (spawn to exit seen), the time the caller's thread was blocked in
// the spawn call itself, and CPU of the caller (and of the launcher). Prints one JSON
// object of figures.
const { execFileSync, fork, spawn } = require('node:child_process');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const { note, onCleanup, runBenchmark } = require('./lib/bench');
const { cpuSeconds, rssMiB } = require('./lib/proc');
const { percentile, round } = require('./lib/stats');

const SPAWNS = Number(process.env.BENCH_SPAWNS ?? 300);
const BALLAST_MIB = Number(process.env.BENCH_BALLAST_MIB ?? 160);
const PYTHON = process.env.PEER_PYTHON ?? '/usr/bin/python3';

async function main() {
  const bare = await fromNode(`spawn, caller at ${rssMiB(process.pid)} MiB`);
  const ballast = touchedHeap(BALLAST_MIB);
  const heavy = await fromNode(`spawn, caller at ${rssMiB(process.pid)} MiB`);
  const launcher = await throughLauncher();
  const posixSpawn = fromPython();
  return {
    benchmark: 'spawn-cost',
    spawns: SPAWNS,
    command: 'true',
    ballastMiB: ballast.length,
    nodeSpawn: { smallCaller: bare, kilnSizedCaller: heavy },
    preForkedLauncher: launcher,
    pythonPosixSpawn: posixSpawn,
  };
}

/** Arrays of numbers, written once so every page is resident. */
function touchedHeap(mib) {
  const chunks = [];
  for (let i = 0; i < mib; i++) chunks.push(new Float64Array(131_072).fill(i + 1));
  return chunks;
}

async function fromNode(label) {
  const rss = rssMiB(process.pid);
  const blocked = [];
  const cpuBefore = cpuSeconds(process.pid);
  const started = performance.now();
  for (let i = 0; i < SPAWNS; i++) {
    const before = performance.now();
    const child = spawn('true', [], { stdio: 'ignore' });
    blocked.push(performance.now() - before);
    await new Promise((done) => child.once('exit', done));
  }
  const figures = perStart(started, cpuBefore, { callerRssMiB: rss });
  const sortedBlocked = blocked.sort((a, b) => a - b);
  figures.blockedInSpawnMsMedian = round(percentile(sortedBlocked, 50), 2);
  note(`${label}: ${JSON.stringify(figures)}`);
  return figures;
}

async function throughLauncher() {
  const launcher = fork(join(__dirname, 'lib', 'spawn-launcher.js'), [], {
    execArgv: ['--max-old-space-size=32'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  onCleanup(() => launcher.kill());
  await new Promise((done) => launcher.once('spawn', done));
  const answers = new Map();
  launcher.on('message', (message) => answers.get(message.id)?.(message));
  const ask = (id) =>
    new Promise((done) => {
      answers.set(id, done);
      launcher.send({ id, file: 'true', args: [] });
    });
  const launcherCpuBefore = cpuSeconds(launcher.pid);
  const cpuBefore = cpuSeconds(process.pid);
  const started = performance.now();
  for (let i = 0; i < SPAWNS; i++) await ask(i);
  const figures = perStart(started, cpuBefore, {
    callerRssMiB: rssMiB(process.pid),
    launcherRssMiB: rssMiB(launcher.pid),
  });
  figures.launcherCpuMsPerStart = round(
    ((cpuSeconds(launcher.pid) - launcherCpuBefore) * 1000) / SPAWNS,
    2,
  );
  note(`pre-forked launcher: ${JSON.stringify(figures)}`);
  return figures;
}

function fromPython() {
  const script = `
import os, time
ballast = bytearray(${BALLAST_MIB} * 1024 * 1024)
for i in range(0, len(ballast), 4096): ballast[i] = 1
rss = int([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1]) / 1024
cpu0 = os.times(); t0 = time.perf_counter()
for _ in range(${SPAWNS}):
    pid = os.posix_spawnp('true', ['true'], os.environ)
    os.waitpid(pid, 0)
t1 = time.perf_counter(); cpu1 = os.times()
cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
print(f"{(t1 - t0) * 1000 / ${SPAWNS}} {cpu * 1000 / ${SPAWNS}} {rss}")
`;
  const [wall, cpu, rss] = execFileSync(PYTHON, ['-c', script], { encoding: 'utf8' })
    .trim()
    .split(' ')
    .map(Number);
  const figures = {
    wallMsPerStart: round(wall, 2),
    callerCpuMsPerStart: round(cpu, 2),
    callerRssMiB: round(rss, 1),
  };
  note(`python os.posix_spawn: ${JSON.stringify(figures)}`);
  return figures;
}

function perStart(started, cpuBefore, extra) {
  return {
    wallMsPerStart: round((performance.now() - started) / SPAWNS, 2),
    callerCpuMsPerStart: round(((cpuSeconds(process.pid) - cpuBefore) * 1000) / SPAWNS, 2),
    ...extra,
  };
}

runBenchmark(main);
