// A closed-loop load generator: `concurrency` clients, each sending its next request as
// soon as the previous one answers, for `durationMs`. Stands in for autocannon.
const { performance } = require('node:perf_hooks');
const { summarize } = require('./stats');

/**
 * `send()` performs one request and resolves with its HTTP status. Resolves with
 * requests/s (2xx only), error count and the latency summary (ms) of the 2xx answers.
 */
async function closedLoop({ concurrency, durationMs, send }) {
  const latencies = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const client = async () => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      try {
        const status = await send();
        if (status >= 200 && status < 300) latencies.push(performance.now() - sent);
        else errors++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsedS = (performance.now() - started) / 1000;
  const result = {
    concurrency,
    seconds: Math.round(elapsedS * 10) / 10,
    requests: latencies.length,
    errors,
    requestsPerSecond: Math.round((latencies.length / elapsedS) * 10) / 10,
    latencyMs: summarize(latencies),
  };
  // Raw samples for callers that pool runs; not enumerable, so never printed.
  return Object.defineProperty(result, 'samples', { value: latencies, enumerable: false });
}

module.exports = { closedLoop };
