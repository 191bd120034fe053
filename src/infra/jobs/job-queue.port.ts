// The JobQueue port: how Kiln hands work orders (a task id and an attempt, never the
// truth itself) from producers to worker processes. Two drivers implement it: `bullmq`
// on Redis for production, `memory` in-process for the embedded default and tests.

export interface BackoffOptions {
  type: 'fixed' | 'exponential';
  /** The first wait; exponential doubles it after each failed try. */
  delayMs: number;
  /** No wait is longer than this (default: no cap). */
  maxDelayMs?: number;
  /**
   * Each wait is shortened by a draw of up to this fraction of itself (0 to 1, default 0),
   * so jobs that failed together do not all come back at once.
   */
  jitter?: number;
}

export interface AddJobOptions {
  /** De-duplicates: adding a job whose id the queue already holds adds nothing. */
  jobId: string;
  /** Not before this many milliseconds from now. */
  delayMs?: number;
  /** Total tries, the first included (default 1). */
  attempts?: number;
  backoff?: BackoffOptions;
  /**
   * When the queue still holds a finished (completed or failed) job with this id, drop it
   * and add this one instead of de-duplicating; a waiting, delayed or active job still
   * de-duplicates. For re-issuing a work order whose earlier job gave up.
   */
  replaceFinished?: boolean;
}

export interface Job<T = unknown> {
  id: string;
  name: string;
  data: T;
  /** 1 for the first try. */
  attempt: number;
  /** How long the queue waits before the next try if this one fails; null on the last try. */
  retryDelayMs: number | null;
}

/** A processor resolves when the job is done; a throw counts as a failed try. */
export type JobProcessor<T = unknown> = (job: Job<T>) => Promise<void>;

export interface ProcessOptions {
  /** Jobs of this queue run at most this many at once in this process. */
  concurrency: number;
}

export interface JobCounts {
  waiting: number;
  delayed: number;
  active: number;
  completed: number;
  failed: number;
  paused: number;
}

export interface JobQueue {
  readonly name: string;
  add<T>(name: string, data: T, options: AddJobOptions): Promise<void>;
  /** Registers this process as a worker of the queue; call at most once per queue. */
  process<T>(processor: JobProcessor<T>, options: ProcessOptions): void;
  /** Stops handing out new jobs (across processes for shared drivers); running ones finish. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  counts(): Promise<JobCounts>;
  /** Stops taking jobs, waits for running ones to finish, then releases connections. */
  close(): Promise<void>;
}

/** Hands out one JobQueue per name, all of the configured driver. */
export interface JobQueues {
  readonly driver: 'bullmq' | 'memory';
  get(name: string): JobQueue;
}

export const JOB_QUEUES = Symbol('JOB_QUEUES');
