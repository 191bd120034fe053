// The in-process JobQueue driver: the embedded default and fast tests. Same semantics as
// the BullMQ driver for order, delay, retries, concurrency and de-duplication; nothing
// is shared across processes and nothing survives a restart.
import { Logger } from '@nestjs/common';
import { backoffDelayMs, retryDelayAfter } from './job-backoff';
import {
  AddJobOptions,
  Job,
  JobCounts,
  JobProcessor,
  JobQueue,
  ProcessOptions,
} from './job-queue.port';
import { assertValidJobOptions } from './job-options';
import { JobRetention, JobQueueSettings } from './job-queue-settings';
import { messageOf } from '../../common/errors/message-of';

type HeldState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

interface HeldJob {
  job: Job;
  options: AddJobOptions;
  state: HeldState;
  finishedAt?: number;
  timer?: NodeJS.Timeout;
}

export class MemoryJobQueue implements JobQueue {
  private readonly logger: Logger;
  private readonly held = new Map<string, HeldJob>();
  /** In arrival order (first in, first out). */
  private readonly waiting: HeldJob[] = [];
  private readonly running = new Set<Promise<void>>();
  private processor?: JobProcessor;
  private concurrency = 0;
  private paused = false;
  private closed = false;

  constructor(
    readonly name: string,
    private readonly settings: JobQueueSettings,
  ) {
    this.logger = new Logger(`JobQueue:${name}`);
  }

  async add<T>(name: string, data: T, options: AddJobOptions): Promise<void> {
    assertValidJobOptions(options);
    if (this.closed) throw new Error(`Queue ${this.name} is closed`);
    this.dropExpiredFinished();
    if (options.replaceFinished) this.dropIfFinished(options.jobId);
    if (this.held.has(options.jobId)) return;
    // A JSON round trip, as Redis would do, so callers cannot share objects with workers.
    const copy = JSON.parse(JSON.stringify(data ?? null)) as T;
    const held: HeldJob = {
      job: { id: options.jobId, name, data: copy, attempt: 1, retryDelayMs: null },
      options,
      state: 'waiting',
    };
    this.held.set(options.jobId, held);
    this.enqueueAfter(held, options.delayMs ?? 0);
  }

  process<T>(processor: JobProcessor<T>, options: ProcessOptions): void {
    if (this.processor) throw new Error(`Queue ${this.name} already has a processor`);
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new RangeError('concurrency must be an integer >= 1');
    this.processor = processor as JobProcessor;
    this.concurrency = options.concurrency;
    this.dispatch();
  }

  async pause(): Promise<void> {
    this.paused = true;
  }

  async resume(): Promise<void> {
    this.paused = false;
    this.dispatch();
  }

  async counts(): Promise<JobCounts> {
    this.dropExpiredFinished();
    const counts: JobCounts = {
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: 0,
      failed: 0,
      paused: 0,
    };
    for (const { state } of this.held.values()) counts[state] += 1;
    if (this.paused) [counts.paused, counts.waiting] = [counts.waiting, 0];
    return counts;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const held of this.held.values()) clearTimeout(held.timer);
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private enqueueAfter(held: HeldJob, delayMs: number): void {
    if (delayMs <= 0) return this.enqueue(held);
    held.state = 'delayed';
    held.timer = setTimeout(() => {
      held.timer = undefined;
      this.enqueue(held);
    }, delayMs);
  }

  private enqueue(held: HeldJob): void {
    held.state = 'waiting';
    this.waiting.push(held);
    this.dispatch();
  }

  private dispatch(): void {
    while (
      this.processor &&
      !this.paused &&
      !this.closed &&
      this.running.size < this.concurrency &&
      this.waiting.length > 0
    ) {
      const held = this.waiting.shift()!;
      const run = this.run(held, this.processor).finally(() => {
        this.running.delete(run);
        this.dispatch();
      });
      this.running.add(run);
    }
  }

  private async run(held: HeldJob, processor: JobProcessor): Promise<void> {
    held.state = 'active';
    try {
      const { attempt, id } = held.job;
      const { attempts = 1, backoff } = held.options;
      await processor({
        ...held.job,
        retryDelayMs: retryDelayAfter(attempt, attempts, backoff, id),
      });
      this.finish(held, 'completed');
    } catch (error) {
      this.retryOrFail(held, error);
    }
  }

  private retryOrFail(held: HeldJob, error: unknown): void {
    const failedTries = held.job.attempt;
    const reason = messageOf(error);
    if (failedTries >= (held.options.attempts ?? 1)) {
      this.logger.warn(`Job ${held.job.id} failed for good after ${failedTries} tries: ${reason}`);
      return this.finish(held, 'failed');
    }
    const waitMs = backoffDelayMs(held.options.backoff, failedTries, held.job.id);
    this.logger.warn(
      `Job ${held.job.id} try ${failedTries} failed (${reason}); retry in ${waitMs} ms`,
    );
    held.job = { ...held.job, attempt: failedTries + 1 };
    // A retry of a closed queue stays delayed: nothing is left to run it in this process.
    if (this.closed) held.state = 'delayed';
    else this.enqueueAfter(held, waitMs);
  }

  private finish(held: HeldJob, state: 'completed' | 'failed'): void {
    held.state = state;
    held.finishedAt = Date.now();
    this.trimFinished(state, this.settings[state]);
  }

  private trimFinished(state: 'completed' | 'failed', retention: JobRetention): void {
    const finished = [...this.held.values()].filter((held) => held.state === state);
    const excess = finished.length - retention.maxCount;
    // Map iteration follows insertion, not finish order, so sort before dropping the oldest.
    if (excess > 0) {
      finished.sort((a, b) => a.finishedAt! - b.finishedAt!);
      for (const held of finished.slice(0, excess)) this.held.delete(held.job.id);
    }
  }

  private dropIfFinished(jobId: string): void {
    const state = this.held.get(jobId)?.state;
    if (state === 'completed' || state === 'failed') this.held.delete(jobId);
  }

  private dropExpiredFinished(): void {
    const now = Date.now();
    for (const held of this.held.values()) {
      if (held.state !== 'completed' && held.state !== 'failed') continue;
      if (now - held.finishedAt! > this.settings[held.state].maxAgeSeconds * 1000)
        this.held.delete(held.job.id);
    }
  }
}
