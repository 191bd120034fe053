// WEB_CONCURRENCY=N: the primary forks N server processes that share the HTTP port
// (node:cluster) and does nothing else; it forwards SIGTERM/SIGINT to them and exits
// once they have. Only in production mode: the embedded drivers (SQLite, in-process
// queue and lock) cannot be shared between processes, so there it refuses to start; and
// not with local GPUs, which each process would hand out on its own.
import cluster, { Worker } from 'node:cluster';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '../../config/config.loader';
import { KilnConfig } from '../../config/kiln.config';

export async function startServerProcesses(startServer: () => Promise<unknown>): Promise<void> {
  if (cluster.isWorker) {
    await startServer();
    return;
  }
  const config = loadConfig();
  const count = config.process.webConcurrency;
  if (count <= 1) {
    await startServer();
    return;
  }
  assertShareable(config);
  superviseWorkers(count, config.lifecycle.shutdownGraceMs);
}

function assertShareable(config: KilnConfig): void {
  const problems: string[] = [];
  if (config.redis.url === '')
    problems.push(
      `WEB_CONCURRENCY (process.webConcurrency): is ${config.process.webConcurrency}, but ` +
        'several processes need production mode (KILN_REDIS_URL and a PostgreSQL ' +
        'KILN_DATABASE_URL); the embedded drivers cannot be shared. Use WEB_CONCURRENCY=1.',
    );
  if (config.lock.driver === 'memory')
    problems.push('WEB_CONCURRENCY (process.webConcurrency): needs KILN_LOCK_DRIVER redis or auto');
  // Each process hands out GPU indices from its own list: two local runs could get one GPU.
  if (config.runtimes.local.gpuCount > 0 && config.process.role !== 'api')
    problems.push(
      `WEB_CONCURRENCY (process.webConcurrency): is ${config.process.webConcurrency}, but ` +
        'each process would hand out the same KILN_LOCAL_GPU_COUNT ' +
        '(runtimes.local.gpuCount) GPUs to its local runs, so two runs could get one GPU. ' +
        'On a GPU machine use WEB_CONCURRENCY=1, or KILN_ROLE=api for the extra processes.',
    );
  if (problems.length > 0) throw new ConfigError(problems);
}

function superviseWorkers(count: number, graceMs: number): void {
  const logger = new Logger('Cluster');
  let stopping = false;
  const listening = new WeakSet<Worker>();

  const fork = () => {
    const worker = cluster.fork();
    worker.once('listening', () => listening.add(worker));
  };
  const stopAll = (signal: NodeJS.Signals, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    const deadline = setTimeout(() => {
      logger.error(`Workers still running ${graceMs} ms after ${signal}; exiting`);
      process.exit(1);
    }, graceMs + 1_000);
    deadline.unref();
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!listening.has(worker)) {
      // A worker that dies before it listens will die again: stop, don't loop.
      logger.error(`Worker ${worker.process.pid} failed to start (exit ${code}); stopping`);
      stopAll('SIGTERM', 1);
      return;
    }
    logger.error(`Worker ${worker.process.pid} died (${signal ?? `exit ${code}`}); replacing it`);
    fork();
  });
  process.on('SIGTERM', () => stopAll('SIGTERM', 0));
  process.on('SIGINT', () => stopAll('SIGINT', 0));

  logger.log(`Primary ${process.pid} starting ${count} server processes`);
  for (let i = 0; i < count; i++) fork();
}
