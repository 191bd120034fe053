// Runs one tick of a @LeaderOnly job: only on the leader, never beside the job's own
// previous run, with the term's AbortSignal, timed and counted, and never throwing.
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { LEADER_LOCK, LeaderLock } from '../../infra/lock/leader-lock.port';
import { ScheduledRunsPrometheus } from './scheduled-runs.prometheus';

export type LeaderOnlyHandler = (signal: AbortSignal) => unknown;

@Injectable()
export class ScheduledJobRunner implements OnApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    @Inject(LEADER_LOCK) private readonly lock: LeaderLock,
    private readonly metrics: ScheduledRunsPrometheus,
  ) {}

  /** Resolves when the run is over (or at once when it does not run). */
  async run(job: string, handler: LeaderOnlyHandler): Promise<void> {
    const term = this.lock.term;
    if (!term || term.signal.aborted) return;
    if (this.running.has(job)) {
      this.metrics.skipped(job);
      this.logger.warn(`Job ${job} skipped a tick: its previous run is still going`);
      return;
    }
    const run = this.timed(job, term.signal, handler);
    this.running.set(job, run);
    try {
      await run;
    } finally {
      this.running.delete(job);
    }
  }

  /** Lets runs that are under way finish (their signal has aborted by now). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.running.values());
  }

  private async timed(job: string, signal: AbortSignal, handler: LeaderOnlyHandler) {
    const done = this.metrics.start(job);
    try {
      await handler(signal);
      done('success');
    } catch (error) {
      if (signal.aborted) {
        done('aborted');
        this.logger.warn(`Job ${job} stopped: ${reasonOf(signal)}`);
      } else {
        done('error');
        this.logger.error({ err: error }, `Job ${job} failed`);
      }
    }
  }
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason);
}
