import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

/**
 * How a @LeaderOnly run ended: `success`; `error` (it threw); `aborted` (it threw after
 * leadership ended, which is the expected way to stop); `skipped` (the previous run of
 * the same job was still going, so this tick did nothing). Ticks on a process that is
 * not leader are not counted: every replica would count them.
 */
export type ScheduledRunOutcome = 'success' | 'error' | 'aborted' | 'skipped';

@Injectable()
export class ScheduledRunsPrometheus {
  private readonly runs: Counter<'job' | 'outcome'>;
  private readonly duration: Histogram<'job'>;

  constructor(registry: Registry) {
    this.runs = new Counter({
      name: 'kiln_scheduled_runs_total',
      help: 'Runs of leader-only scheduled jobs, by job and outcome',
      labelNames: ['job', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'kiln_scheduled_run_duration_seconds',
      help: 'Duration of leader-only scheduled job runs',
      labelNames: ['job'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
  }

  /** Starts timing a run; call the result with how it ended. */
  start(job: string): (outcome: ScheduledRunOutcome) => void {
    const stopTimer = this.duration.startTimer({ job });
    return (outcome) => {
      stopTimer();
      this.runs.inc({ job, outcome });
    };
  }

  skipped(job: string): void {
    this.runs.inc({ job, outcome: 'skipped' });
  }
}
