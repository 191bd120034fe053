export class MetricPointResponse {
  /** null when the run reported no step. */
  step: number | null;
  value: number;
  /** ISO-8601 UTC. */
  time: string;
}

export class MetricSeriesResponse {
  /** @example train/loss */
  name: string;
  attempt: number;
  /** By step (points without one last), then time. */
  points: MetricPointResponse[];
}

export class TaskMetricsResponse {
  /** One entry per metric name, sorted by name; empty when the task reported nothing. */
  series: MetricSeriesResponse[];
}
