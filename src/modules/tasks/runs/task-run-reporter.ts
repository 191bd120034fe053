// Where runs' self-reports land (KILN_METRIC / KILN_PROGRESS lines parsed by executors,
// and POST /tasks/:id/metrics): metric points go to the metrics store in batches,
// progress to the task row (only for the attempt that is still running), and a
// throttled progress event to the SSE stream.
import { Injectable, Logger } from '@nestjs/common';
import type { MetricPoint, RunReporter } from '../../runtimes';
import { TaskRepository } from '../persistence/task.repository';
import { TaskMetricsService } from '../training-metrics/task-metrics.service';
import { TaskLifecycle } from '../lifecycle/task-lifecycle';
import { Reconciler } from '../orchestration/reconciler.service';
import { TaskWakeups } from '../orchestration/task-wakeups';

/** At most one progress event per task this often, unless the run reports completion. */
const PROGRESS_EVENT_INTERVAL_MS = 1000;

interface Run {
  taskId: string;
  attempt: number;
}

@Injectable()
export class TaskRunReporter implements RunReporter {
  private readonly logger = new Logger(TaskRunReporter.name);
  private readonly lastProgressEvent = new Map<string, number>();

  constructor(
    private readonly tasks: TaskRepository,
    private readonly metrics: TaskMetricsService,
    private readonly lifecycle: TaskLifecycle,
    private readonly wakeups: TaskWakeups,
    private readonly reconciler: Reconciler,
  ) {}

  metric(run: Run, point: MetricPoint): void {
    this.metrics.record(run.taskId, run.attempt, [point]);
  }

  progress(run: Run, fraction: number): void {
    this.saveProgress(run, fraction).catch((error: unknown) =>
      this.logger.warn({ err: error, taskId: run.taskId }, 'could not save progress'),
    );
  }

  /**
   * Settles the run here and now and asks for a dispatch into the slot it freed; the
   * leader's reconcile pass is the fallback when that fails.
   */
  ended(run: Run): void {
    this.reconciler.reconcileEnded(run).then(
      (settled) => (settled ? this.wakeups.dispatch() : undefined),
      (error: unknown) => {
        this.logger.warn({ err: error, taskId: run.taskId }, 'could not settle an ended run');
        this.wakeups.reconcile();
      },
    );
  }

  lastReportedAt(run: Run): Promise<Date | undefined> {
    return this.metrics.latestTime(run.taskId, run.attempt);
  }

  async saveProgress(run: Run, fraction: number): Promise<void> {
    const permille = Math.round(Math.min(1, Math.max(0, fraction)) * 1000);
    if (!(await this.tasks.saveProgress(run.taskId, run.attempt, permille))) return;
    const now = Date.now();
    const last = this.lastProgressEvent.get(run.taskId) ?? 0;
    if (permille < 1000 && now - last < PROGRESS_EVENT_INTERVAL_MS) return;
    this.lastProgressEvent.set(run.taskId, now);
    if (this.lastProgressEvent.size > 10_000) this.lastProgressEvent.clear();
    const task = await this.tasks.findById(run.taskId);
    if (task) await this.lifecycle.recordProgress(task, permille);
  }
}
