// Resident memory and CPU time of processes and of the machine, read from /proc (Linux only).
const { readdirSync, readFileSync } = require('node:fs');

/** VmRSS of `pid` in MiB, rounded to 0.1. */
function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  return Math.round((kib / 1024) * 10) / 10;
}

/** Samples the RSS of `pid` every `intervalMs` until `stop()`, which returns the figures. */
function sampleRss(pid, intervalMs = 250) {
  const samples = [rssMiB(pid)];
  const timer = setInterval(() => {
    try {
      samples.push(rssMiB(pid));
    } catch {
      // the process is gone; stop() still reports what was seen
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return {
        samples: samples.length,
        intervalMs,
        minMiB: Math.min(...samples),
        maxMiB: Math.max(...samples),
      };
    },
  };
}

/** User + system CPU time `pid` has used so far, in seconds (from /proc/<pid>/stat). */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return ticks / CLOCK_TICKS_PER_SECOND;
}

// USER_HZ: 100 on every mainstream Linux build (`getconf CLK_TCK`).
const CLOCK_TICKS_PER_SECOND = 100;

/** Busy CPU time of the whole machine so far, in seconds (from /proc/stat, every core). */
function machineCpuSeconds() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal: all but idle, iowait and steal
  const [user, nice, system, , , irq, softirq] = fields.map(Number);
  return (user + nice + system + irq + softirq) / CLOCK_TICKS_PER_SECOND;
}

/** Pids of the processes whose command name starts with `prefix` ("postgres"). */
function pidsNamed(prefix) {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith(prefix);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** The summed CPU seconds of `pids`, counting a process gone meanwhile as 0. */
function cpuSecondsOf(pids) {
  return pids.reduce((sum, pid) => {
    try {
      return sum + cpuSeconds(pid);
    } catch {
      return sum;
    }
  }, 0);
}

/**
 * Where the machine's CPU goes while `work` runs: the CPU seconds of each named group of
 * pids (each group's pids listed once, before), of the whole machine, and of the rest
 * (short-lived processes such as runs, the benchmark itself, the kernel).
 */
async function cpuAccount(groups, work) {
  const before = Object.fromEntries(
    Object.entries(groups).map(([name, pids]) => [name, cpuSecondsOf(pids)]),
  );
  const machineBefore = machineCpuSeconds();
  const result = await work();
  const seconds = Object.fromEntries(
    Object.entries(groups).map(([name, pids]) => [name, cpuSecondsOf(pids) - before[name]]),
  );
  const machine = machineCpuSeconds() - machineBefore;
  const grouped = Object.values(seconds).reduce((sum, value) => sum + value, 0);
  return { result, seconds: { ...seconds, other: Math.max(0, machine - grouped), machine } };
}

module.exports = {
  rssMiB,
  sampleRss,
  cpuSeconds,
  cpuSecondsOf,
  pidsNamed,
  machineCpuSeconds,
  cpuAccount,
};
