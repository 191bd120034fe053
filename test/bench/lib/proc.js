// Resident memory of a process, read from /proc (Linux only).
const { readFileSync } = require('node:fs');

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

module.exports = { rssMiB, sampleRss };

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

module.exports.cpuSeconds = cpuSeconds;
