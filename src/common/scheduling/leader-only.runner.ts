// Runs one tick of a @LeaderOnly handler: only on the leader, never beside the handler's own
// previous run, with the term's AbortSignal, timed and counted, and never throwing.
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { LEADER_LOCK, LeaderLock } from '../../infra/lock/leader-lock.port';
import { ScheduledRunsPrometheus } from './scheduled-runs.prometheus';

export type LeaderOnlyHandler = (signal: AbortSignal) => unknown;

@Injectable()
export class LeaderOnlyRunner implements OnApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    @Inject(LEADER_LOCK) private readonly lock: LeaderLock,
    private readonly metrics: ScheduledRunsPrometheus,
  ) {}

  /** Resolves when the run is over (or at once when it does not run). */
  async run(name: string, handler: LeaderOnlyHandler): Promise<void> {
    const term = this.lock.term;
    if (!term || term.signal.aborted) return;
    if (this.running.has(name)) {
      this.metrics.skipped(name);
      this.logger.warn(`Scheduled ${name} skipped a tick: its previous run is still going`);
      return;
    }
    const run = this.timed(name, term.signal, handler);
    this.running.set(name, run);
    try {
      await run;
    } finally {
      this.running.delete(name);
    }
  }

  /** Lets runs that are under way finish (their signal has aborted by now). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.running.values());
  }

  private async timed(name: string, signal: AbortSignal, handler: LeaderOnlyHandler) {
    const done = this.metrics.start(name);
    try {
      await handler(signal);
      done('success');
    } catch (error) {
      if (signal.aborted) {
        done('aborted');
        this.logger.warn(`Scheduled ${name} stopped: ${reasonOf(signal)}`);
      } else {
        done('error');
        this.logger.error({ err: error }, `Scheduled ${name} failed`);
      }
    }
  }
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason);
}
