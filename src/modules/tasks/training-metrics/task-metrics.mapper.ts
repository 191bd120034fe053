import type { MetricPoint } from '../../runtimes/run-reporter.port';
import type { ReportMetricsDto } from './dto/report-metrics.dto';
import type { TaskMetricsResponse } from './dto/metric-series.response';
import type { MetricSeries } from './task-metrics.service';

/** The points of a REST report, stamped with `receivedAt` where the run gave no time. */
export function toMetricPoints(report: ReportMetricsDto, receivedAt: Date): MetricPoint[] {
  return report.points.map((point) => ({
    name: point.name,
    step: point.step,
    value: point.value,
    time: point.time ?? receivedAt,
  }));
}

export function toTaskMetricsResponse(series: MetricSeries[]): TaskMetricsResponse {
  return {
    series: series.map(({ name, attempt, points }) => ({
      name,
      attempt,
      points: points.map(({ step, value, time }) => ({ step, value, time })),
    })),
  };
}
