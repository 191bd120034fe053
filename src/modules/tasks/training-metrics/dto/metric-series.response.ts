import { ApiProperty } from '@nestjs/swagger';
export class MetricPointResponse {
  /** null when the run reported no step. */
  @ApiProperty({ type: 'integer', nullable: true })
  step: number | null;
  value: number;
  /** ISO-8601 UTC. */
  @ApiProperty({ format: 'date-time' })
  time: string;
}

export class MetricSeriesResponse {
  /** @example train/loss */
  name: string;
  @ApiProperty({ type: 'integer' })
  attempt: number;
  /** By step (points without one last), then time. */
  points: MetricPointResponse[];
}

export class TaskMetricsResponse {
  /** One entry per metric name, sorted by name; empty when the task reported nothing. */
  series: MetricSeriesResponse[];
}
