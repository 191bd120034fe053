// The RunReporter port: what runs say about themselves (metrics, progress, their end),
// delivered by the runtimes to whoever keeps it. See run-reporter.relay.ts for the wiring.

/** One metric sample a run reported. */
export interface MetricPoint {
  name: string;
  step?: number;
  value: number;
  time: Date;
}

/**
 * Where runtimes deliver what a run reports about itself (KILN_METRIC and
 * KILN_PROGRESS lines). The tasks module implements it; runtimes only parse and call.
 */
export interface RunReporter {
  metric(run: { taskId: string; attempt: number }, point: MetricPoint): void;
  progress(run: { taskId: string; attempt: number }, fraction: number): void;
  /** The runtime saw the run end; the tasks module reconciles it now instead of at its next tick. */
  ended?(run: { taskId: string; attempt: number }): void;
  /**
   * The `time` of the newest metric point stored (or about to be) for the attempt, or
   * undefined when it has none. A runtime that re-reads a run's output from the start
   * (a new leader, a restarted Kiln) uses it to skip what an earlier reader delivered.
   */
  lastReportedAt?(run: { taskId: string; attempt: number }): Promise<Date | undefined>;
}
