// A bare queue worker process (no HTTP server) on the bullmq driver, configured from the
// environment like Kiln. It prints `started <jobId> <attempt> <pid>` and `completed <jobId>`
// lines so tests can kill it mid-job. JOB_MS: how long each job takes. Runs from dist/.
const { setTimeout: delay } = require('node:timers/promises');
const { loadConfig } = require('../../../dist/config/config.loader');
const { RedisConnectionFactory } = require('../../../dist/infra/redis/redis-connection.factory');
const { createJobQueues } = require('../../../dist/infra/jobs/job-queues.factory');

const config = loadConfig({ dotenvPath: null });
const redis = new RedisConnectionFactory(config);
const queues = createJobQueues(config, redis);
const queue = queues.get(process.env.QUEUE_NAME || 'work');
const jobMs = Number(process.env.JOB_MS || 0);

queue.process(
  async (job) => {
    console.log(`started ${job.id} ${job.attempt} ${process.pid}`);
    await delay(jobMs);
    console.log(`completed ${job.id}`);
  },
  { concurrency: 1 },
);
console.log(`worker ${process.pid} processing ${queue.name} on ${queues.driver}`);

process.once('SIGTERM', () => {
  queues
    .closeAll()
    .then(() => redis.onApplicationShutdown())
    .then(() => process.exit(0));
});
