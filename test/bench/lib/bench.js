// The frame every benchmark runs in: cleanups that run however the run ends (success,
// error, Ctrl-C), and the one JSON object of figures printed at the end.
const cleanups = [];

/** Registers `fn` to run when the benchmark ends; the last registered runs first. */
function onCleanup(fn) {
  cleanups.push(fn);
}

async function runCleanups() {
  while (cleanups.length > 0) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (error) {
      console.error('cleanup failed:', error);
    }
  }
}

/**
 * Runs `main` (which resolves with the figures), prints them as JSON and cleans up.
 * Progress notes go to stderr so stdout holds only the figures.
 */
function runBenchmark(main) {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      if (interrupted) return;
      interrupted = true;
      console.error(`\n${signal}: cleaning up`);
      runCleanups().finally(() => process.exit(130));
    });
  }
  main()
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => runCleanups());
}

/** A progress note on stderr, with the seconds since the benchmark started. */
function note(message) {
  console.error(`[${process.uptime().toFixed(1)}s] ${message}`);
}

module.exports = { onCleanup, runBenchmark, note };
