// Metric series as charts: one chart per metric name, one line per attempt (or per task
// when comparing). A point without a step is placed by its order.
import type { MetricSeries } from '../api/types';
import type { ChartSeries } from '../charts/LineChart';

export function pointsOf(series: MetricSeries): Array<[number, number]> {
  return series.points.map((point, order) => [point.step ?? order, point.value]);
}

export function chartsByMetric(
  sources: Array<{ label: string; series: MetricSeries[] }>,
): Array<{ name: string; series: ChartSeries[] }> {
  const byName = new Map<string, ChartSeries[]>();
  for (const source of sources)
    for (const series of source.series) {
      const charts = byName.get(series.name) ?? [];
      charts.push({ label: source.label, points: pointsOf(series) });
      byName.set(series.name, charts);
    }
  return [...byName.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, series]) => ({ name, series }));
}
