// Stores and reads the metric series that runs report. Writes are batched: a run that
// prints thousands of KILN_METRIC lines costs a few multi-row INSERTs, not a round
// trip per line.
import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { backoffDelay } from '../../../common/retry/retry';
import { isTransientError } from '../../../common/retry/transient-error';
import type { MetricPoint } from '../../runtimes';
import { downsample } from './downsample';
import {
  NewMetricPoint,
  StoredMetricPoint,
  TaskMetricsRepository,
} from './task-metrics.repository';
import {
  DEFAULT_TASK_METRICS_OPTIONS,
  TASK_METRICS_OPTIONS,
  TaskMetricsOptions,
} from './task-metrics.options';
import { messageOf } from '../../../common/errors/message-of';

export interface MetricSeriesQuery {
  /** Only these series; all of them when absent. */
  names?: readonly string[];
  /** Per series; at least 2. */
  maxPoints: number;
  /** The attempt to read; the latest one that reported metrics when absent. */
  attempt?: number;
}

export interface MetricSeries {
  name: string;
  attempt: number;
  /** Ordered by step (points without one last), then time. */
  points: Array<{ step: number | null; value: number; time: string }>;
}

const DROP_WARNING_INTERVAL_MS = 10_000;
const MAX_RETRY_DELAY_MS = 5_000;

@Injectable()
export class TaskMetricsService implements OnModuleDestroy {
  private readonly logger = new Logger(TaskMetricsService.name);
  private readonly options: TaskMetricsOptions;
  private readonly droppedCounter?: Counter;
  private pending: NewMetricPoint[] = [];
  /** The batch being inserted right now. */
  private inFlight: readonly NewMetricPoint[] = [];
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failedWrites = 0;
  private dropped = 0;
  private lastDropWarningAt = 0;

  constructor(
    private readonly repository: TaskMetricsRepository,
    @Optional() @Inject(TASK_METRICS_OPTIONS) options?: Partial<TaskMetricsOptions>,
    @Optional() registry?: Registry,
  ) {
    this.options = { ...DEFAULT_TASK_METRICS_OPTIONS, ...options };
    if (registry) {
      this.droppedCounter = new Counter({
        name: 'kiln_task_metric_points_dropped_total',
        help: 'Metric points discarded because the write buffer was full or a write failed for good',
        registers: [registry],
      });
    }
  }

  /** Points discarded so far (buffer full, or a write that cannot succeed). */
  get droppedPoints(): number {
    return this.dropped;
  }

  /** Points recorded but not yet written. */
  get pendingPoints(): number {
    return this.pending.length;
  }

  /**
   * Queues points for writing and returns at once.
   *
   * Synchronous on purpose: executors call it from the loop that reads a run's output
   * (RunReporter.metric returns void), and back-pressure there would stall the training
   * process on a full pipe. So the buffer is bounded by dropping the oldest points instead,
   * counted and logged: that only happens while the database is away or far slower than
   * the runs, and the newest points are the ones a user following a run looks at.
   */
  record(taskId: string, attempt: number, points: readonly MetricPoint[]): void {
    if (points.length === 0) return;
    for (const point of points) {
      this.pending.push({
        taskId,
        attempt,
        name: point.name,
        step: point.step ?? null,
        value: point.value,
        recordedAt: point.time,
      });
    }
    this.dropOverflow();
    if (this.pending.length >= this.options.batchSize && this.failedWrites === 0)
      this.writeInBackground();
    else this.scheduleWrite(this.options.flushIntervalMs);
  }

  /** Writes everything recorded so far; rejects if the database refuses. */
  async flush(): Promise<void> {
    while (this.pending.length > 0 || this.writing) await this.startWriting();
  }

  async onModuleDestroy(): Promise<void> {
    this.clearTimer();
    try {
      await this.flush();
    } catch (error) {
      this.logger.error(
        `Lost ${this.pending.length} metric points at shutdown: ${messageOf(error)}`,
      );
    }
  }

  async series(taskId: string, query: MetricSeriesQuery): Promise<MetricSeries[]> {
    // A run's own POST (or log line) followed by a GET on the same instance sees its
    // points, buffered or being written. A failed write is logged and retried by the
    // buffer; the reader still gets what is stored.
    if ([...this.inFlight, ...this.pending].some((point) => point.taskId === taskId))
      await this.flush().catch(() => undefined);
    const attempt = query.attempt ?? (await this.repository.latestAttempt(taskId));
    if (attempt === undefined) return [];
    const rows = await this.repository.findReducedSeries(
      taskId,
      attempt,
      query.maxPoints,
      query.names,
    );
    return groupByName(rows).map(([name, points]) => ({
      name,
      attempt,
      points: downsample(points, query.maxPoints).map(toSeriesPoint),
    }));
  }

  /**
   * The time of the attempt's newest point, counting points not written yet: those in
   * the buffer and the batch on its way, which is in neither the buffer nor the table.
   * Both are read before the table, so a point that moves on meanwhile is still counted.
   * Waiting for the writes instead could wait forever while runs keep reporting.
   */
  async latestTime(taskId: string, attempt: number): Promise<Date | undefined> {
    const unwritten = newestOf([...this.inFlight, ...this.pending], taskId, attempt);
    const stored = await this.repository.latestTime(taskId, attempt);
    if (!unwritten || !stored) return unwritten ?? stored;
    return unwritten > stored ? unwritten : stored;
  }

  /** One value of metric `name` per task that reported it (see the repository). */
  async valuePerTask(
    taskIds: readonly string[],
    name: string,
    pick: 'last' | 'min' | 'max',
    maxStep?: number,
  ) {
    await this.flush();
    return this.repository.valuePerTask(taskIds, name, pick, maxStep);
  }

  async names(taskId: string): Promise<string[]> {
    return this.repository.distinctNames(taskId);
  }

  /** Removes the task's points, including any still waiting to be written. */
  async deleteForTask(taskId: string): Promise<void> {
    this.pending = this.pending.filter((point) => point.taskId !== taskId);
    // A batch already on its way may hold some of them; let it land before deleting.
    await this.writing?.catch(() => undefined);
    await this.repository.deleteByTask(taskId);
  }

  private startWriting(): Promise<void> {
    this.writing ??= this.writePending().finally(() => {
      this.writing = null;
    });
    return this.writing;
  }

  private writeInBackground(): void {
    // writePending has logged the failure and scheduled the next try.
    this.startWriting().catch(() => undefined);
  }

  private async writePending(): Promise<void> {
    this.clearTimer();
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.options.batchSize);
      this.inFlight = batch;
      try {
        await this.insertIsolating(batch);
        this.failedWrites = 0;
      } catch (error) {
        this.dropOverflow();
        this.scheduleRetry(error);
        throw error;
      } finally {
        this.inFlight = [];
      }
    }
  }

  /**
   * Inserts a batch. When the database refuses it for good, the batch is split (by task,
   * then point by point) so that only the points it refuses are dropped: one bad point
   * never costs another task, or the same task's other points, their data. A transient
   * failure puts everything not yet written back in front of the buffer and rethrows.
   */
  private async insertIsolating(batch: NewMetricPoint[]): Promise<void> {
    const parts = [batch];
    while (parts.length > 0) {
      const part = parts.shift()!;
      try {
        await this.repository.insertMany(part);
      } catch (error) {
        if (isTransientError(error)) {
          this.pending = part.concat(...parts, this.pending);
          throw error;
        }
        if (part.length > 1) parts.unshift(...splitApart(part));
        else this.refuse(part[0], error);
      }
    }
  }

  private refuse(point: NewMetricPoint, error: unknown): void {
    this.logger.warn(
      `The database refused a metric point of task ${point.taskId} (${point.name}); dropped: ${messageOf(error)}`,
    );
    this.countDropped(1);
  }

  private scheduleRetry(error: unknown): void {
    this.failedWrites++;
    const delayMs = Math.max(
      this.options.flushIntervalMs,
      backoffDelay(this.failedWrites, {
        attempts: Number.POSITIVE_INFINITY,
        baseDelayMs: this.options.flushIntervalMs * 2,
        maxDelayMs: MAX_RETRY_DELAY_MS,
      }),
    );
    this.logger.warn(
      `Writing metric points failed (${this.failedWrites} in a row), ${this.pending.length} waiting, next try in ${delayMs} ms: ${messageOf(error)}`,
    );
    if (this.pending.length > 0) this.scheduleWrite(delayMs);
  }

  private scheduleWrite(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writeInBackground();
    }, delayMs);
    // Buffered points never keep the process alive; shutdown flushes them.
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private dropOverflow(): void {
    const overflow = this.pending.length - this.options.maxBufferedPoints;
    if (overflow <= 0) return;
    this.pending.splice(0, overflow);
    this.countDropped(overflow);
  }

  private countDropped(count: number): void {
    this.dropped += count;
    this.droppedCounter?.inc(count);
    const now = Date.now();
    if (now - this.lastDropWarningAt < DROP_WARNING_INTERVAL_MS) return;
    this.lastDropWarningAt = now;
    this.logger.warn(
      `Dropped metric points: ${this.dropped} so far (buffer full or write refused)`,
    );
  }
}

/** A refused batch in smaller parts: one per task, or one per point for a single task. */
function splitApart(points: NewMetricPoint[]): NewMetricPoint[][] {
  const byTask = new Map<string, NewMetricPoint[]>();
  for (const point of points) {
    const group = byTask.get(point.taskId);
    if (group) group.push(point);
    else byTask.set(point.taskId, [point]);
  }
  return byTask.size > 1 ? [...byTask.values()] : points.map((point) => [point]);
}

function groupByName(rows: StoredMetricPoint[]): Array<[string, StoredMetricPoint[]]> {
  const byName = new Map<string, StoredMetricPoint[]>();
  for (const row of rows) {
    const series = byName.get(row.name);
    if (series) series.push(row);
    else byName.set(row.name, [row]);
  }
  return [...byName.entries()];
}

function newestOf(
  points: readonly NewMetricPoint[],
  taskId: string,
  attempt: number,
): Date | undefined {
  let newest: Date | undefined;
  for (const point of points) {
    if (point.taskId !== taskId || point.attempt !== attempt) continue;
    if (!newest || point.recordedAt > newest) newest = point.recordedAt;
  }
  return newest;
}

function toSeriesPoint(point: StoredMetricPoint): MetricSeries['points'][number] {
  return { step: point.step, value: point.value, time: point.recordedAt.toISOString() };
}
