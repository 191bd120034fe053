// How what runs report reaches the tasks module without the runtimes depending on it.
import { Injectable, Logger } from '@nestjs/common';
import type { MetricPoint, RunReporter } from './run-reporter.port';

type Run = { taskId: string; attempt: number };

/**
 * The RunReporter the runtimes are given. The reporter that keeps what runs report
 * belongs to the tasks module, which depends on the runtimes, so Nest cannot inject it
 * here without a cycle; instead the tasks module connects it to this relay when it
 * initializes, before any run is launched or inspected. Until one is connected (or in
 * an app without the tasks module) report lines stay in the run's log only.
 */
@Injectable()
export class RunReporterRelay implements RunReporter {
  private readonly logger = new Logger(RunReporterRelay.name);
  private reporter?: RunReporter;
  private warnedUnconnected = false;

  /** Sends every later report to `reporter`; there is one per app. */
  connect(reporter: RunReporter): void {
    if (this.reporter && this.reporter !== reporter) {
      throw new Error('A run reporter is already connected to the runtimes');
    }
    this.reporter = reporter;
  }

  metric(run: Run, point: MetricPoint): void {
    this.connected()?.metric(run, point);
  }

  progress(run: Run, fraction: number): void {
    this.connected()?.progress(run, fraction);
  }

  ended(run: Run): void {
    this.reporter?.ended?.(run);
  }

  async lastReportedAt(run: Run): Promise<Date | undefined> {
    return this.reporter?.lastReportedAt?.(run);
  }

  private connected(): RunReporter | undefined {
    if (!this.reporter && !this.warnedUnconnected) {
      this.warnedUnconnected = true;
      this.logger.warn(
        'No run reporter connected: KILN_METRIC and KILN_PROGRESS lines stay in the log only',
      );
    }
    return this.reporter;
  }
}
