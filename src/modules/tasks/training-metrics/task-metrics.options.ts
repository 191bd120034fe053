/** Tuning of TaskMetricsService's write batching. */
export interface TaskMetricsOptions {
  /** How long a recorded point may wait before its batch is written. */
  flushIntervalMs: number;
  /** Points per INSERT; reaching it writes at once. 500 rows x 6 columns stays far below
   *  the parameter limits of SQLite (32766) and PostgreSQL (65535). */
  batchSize: number;
  /** Points held in memory while the database is slow or away; past it the oldest go. */
  maxBufferedPoints: number;
}

export const TASK_METRICS_OPTIONS = Symbol('TASK_METRICS_OPTIONS');

export const DEFAULT_TASK_METRICS_OPTIONS: TaskMetricsOptions = {
  flushIntervalMs: 200,
  batchSize: 500,
  maxBufferedPoints: 100_000,
};
