// The production JobQueue driver: a plain BullMQ Queue (producer) and, once `process` is
// called, a Worker. Plain bullmq rather than @nestjs/bullmq: queues are created on demand
// by name behind the JOB_QUEUES port, and @nestjs/bullmq's static registration and
// @Processor classes would only add a second way to configure the same two objects.
import { Logger } from '@nestjs/common';
import {
  BackoffOptions as BullmqBackoff,
  Job as BullmqJob,
  JobsOptions,
  MinimalJob,
  Queue,
  Worker,
} from 'bullmq';
import Redis, { RedisOptions } from 'ioredis';
import { fromBullmqJobId, toBullmqJobId } from './bullmq-job-ids';
import { backoffDelayMs, retryDelayAfter } from './job-backoff';
import {
  AddJobOptions,
  BackoffOptions,
  JobCounts,
  JobProcessor,
  JobQueue,
  ProcessOptions,
} from './job-queue.port';
import { assertValidJobOptions } from './job-options';
import { JobRetention, JobQueueSettings } from './job-queue-settings';

/** Opens a Redis connection for `purpose` (RedisConnectionFactory.create in the app). */
export type RedisConnector = (purpose: string, overrides?: RedisOptions) => Redis;

/**
 * The BullMQ backoff type of every job this driver adds: BullMQ hands it to the worker's
 * own strategy, which computes the wait with the same function as the memory driver (its
 * built-in strategies have no cap, and draw their jitter where a worker cannot see it).
 */
const KILN_BACKOFF = 'kiln';

/** What a job's `opts.backoff` holds in Redis: BullMQ's two fields and the port's options. */
interface StoredBackoff extends BullmqBackoff {
  kiln?: BackoffOptions;
}

export interface BullmqJobQueueSettings extends JobQueueSettings {
  /** BullMQ key prefix: every key of this queue starts with `<prefix>:<name>:`. */
  prefix: string;
}

export class BullmqJobQueue implements JobQueue {
  private readonly logger: Logger;
  private readonly producerConnection: Redis;
  private readonly queue: Queue;
  private worker?: Worker;
  private workerConnection?: Redis;

  constructor(
    readonly name: string,
    private readonly connect: RedisConnector,
    private readonly settings: BullmqJobQueueSettings,
  ) {
    this.logger = new Logger(`JobQueue:${name}`);
    this.producerConnection = connect(`queue:${name}`);
    this.queue = new Queue(name, { connection: this.producerConnection, prefix: settings.prefix });
    const errors = this.logErrorsOnce(this.queue, 'producer');
    this.producerConnection.on('ready', () => errors.reset());
  }

  async add<T>(name: string, data: T, options: AddJobOptions): Promise<void> {
    assertValidJobOptions(options);
    if (options.replaceFinished) await this.removeIfFinished(toBullmqJobId(options.jobId));
    // An id BullMQ still holds (in any state, until trimmed) makes this a no-op.
    await this.queue.add(name, data, this.jobOptions(options));
  }

  private async removeIfFinished(bullmqId: string): Promise<void> {
    const job = await this.queue.getJob(bullmqId);
    if (!job) return;
    const state = await job.getState();
    // A finished job holds no lock, so nothing else can be moving it meanwhile.
    if (state === 'completed' || state === 'failed') await job.remove();
  }

  process<T>(processor: JobProcessor<T>, options: ProcessOptions): void {
    if (this.worker) throw new Error(`Queue ${this.name} already has a processor`);
    // Blocking worker commands must wait out a Redis outage instead of failing (BullMQ's
    // production guidance); the Worker duplicates this connection for its blocking reads.
    this.workerConnection = this.connect(`queue-worker:${this.name}`, {
      maxRetriesPerRequest: null,
    });
    this.worker = new Worker(
      this.name,
      (job: BullmqJob) => {
        const id = fromBullmqJobId(job.id);
        const attempt = job.attemptsMade + 1;
        return processor({
          id,
          name: job.name,
          data: job.data as T,
          attempt,
          retryDelayMs: retryDelayAfter(attempt, job.opts.attempts ?? 1, portBackoffOf(job), id),
        });
      },
      {
        connection: this.workerConnection,
        prefix: this.settings.prefix,
        concurrency: options.concurrency,
        stalledInterval: this.settings.stalledIntervalMs,
        maxStalledCount: this.settings.maxStalledCount,
        // A dead worker's lock must expire before the stalled check can hand its job out.
        lockDuration: this.settings.stalledIntervalMs,
        settings: {
          backoffStrategy: (failedTries: number, _type, _error, job) =>
            job ? backoffDelayMs(portBackoffOf(job), failedTries, fromBullmqJobId(job.id)) : 0,
        },
      },
    );
    const errors = this.logErrorsOnce(this.worker, 'worker');
    this.worker.on('ready', () => errors.reset());
    this.worker.on('failed', (job, error) => {
      if (job) this.logger.warn(`Job ${fromBullmqJobId(job.id)} try failed: ${error.message}`);
    });
  }

  async pause(): Promise<void> {
    await this.queue.pause();
  }

  async resume(): Promise<void> {
    await this.queue.resume();
  }

  async counts(): Promise<JobCounts> {
    const [counts, paused] = await Promise.all([
      this.queue.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'completed', 'failed'),
      this.queue.isPaused(),
    ]);
    // Waiting jobs stay in `wait` (or `prioritized`, for a job given a BullMQ priority)
    // while the queue is paused, since BullMQ 6 has no separate paused list: the port
    // counts them as paused then.
    const notStarted = counts.wait + counts.prioritized;
    return {
      waiting: paused ? 0 : notStarted,
      paused: paused ? notStarted : 0,
      delayed: counts.delayed,
      active: counts.active,
      completed: counts.completed,
      failed: counts.failed,
    };
  }

  async close(): Promise<void> {
    const connections = [this.workerConnection, this.producerConnection].filter(
      (connection): connection is Redis => connection !== undefined,
    );
    // With Redis down, a graceful close would wait for it to come back (a running job can
    // neither finish nor fail without it, and goes back to the queue as stalled): drop the
    // connections first so everything pending fails at once, and close without waiting.
    const redisDown = connections.some((connection) => connection.status !== 'ready');
    if (redisDown) connections.forEach((connection) => connection.disconnect());
    // Worker.close() waits for running jobs; the connections we passed in are ours to quit.
    await this.worker?.close(redisDown);
    await this.queue.close();
    await Promise.all(connections.map(release));
  }

  private jobOptions(options: AddJobOptions): JobsOptions {
    return {
      jobId: toBullmqJobId(options.jobId),
      delay: options.delayMs,
      attempts: options.attempts ?? 1,
      backoff: options.backoff && storedBackoff(options.backoff),
      removeOnComplete: keepJobs(this.settings.completed),
      removeOnFail: keepJobs(this.settings.failed),
    };
  }

  /**
   * BullMQ emits 'error' (and the process would crash without a listener) on every failed
   * reconnect; log one line per distinct error, again only after `reset` (back to ready).
   */
  private logErrorsOnce(emitter: ErrorEmitter, role: string): { reset(): void } {
    let last = '';
    emitter.on('error', (error: Error) => {
      if (error.message === last) return;
      last = error.message;
      this.logger.warn(`BullMQ ${role} error: ${error.message}`);
    });
    return { reset: () => (last = '') };
  }
}

function storedBackoff(backoff: BackoffOptions): StoredBackoff {
  return { type: KILN_BACKOFF, delay: backoff.delayMs, kiln: backoff };
}

/** The port's backoff of a job; a job added by an older build has only BullMQ's fields. */
function portBackoffOf(job: MinimalJob): BackoffOptions | undefined {
  const stored: StoredBackoff | number | undefined = job.opts.backoff;
  if (stored === undefined) return undefined;
  if (typeof stored === 'number') return { type: 'fixed', delayMs: stored };
  if (stored.kiln) return stored.kiln;
  const type = stored.type === 'fixed' ? 'fixed' : 'exponential';
  return { type, delayMs: stored.delay ?? 0, jitter: stored.jitter };
}

type ErrorEmitter = { on(event: 'error', listener: (error: Error) => void): unknown };

/** QUIT when connected; a connection that is down is dropped, since QUIT would wait for it. */
async function release(connection: Redis): Promise<void> {
  if (connection.status === 'ready') await connection.quit().catch(() => undefined);
  connection.disconnect();
}

function keepJobs(retention: JobRetention): { age: number; count: number } {
  return { age: retention.maxAgeSeconds, count: retention.maxCount };
}
