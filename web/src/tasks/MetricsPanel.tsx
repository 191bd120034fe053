// One chart per metric, every attempt's curve overlaid.
import { useQueries } from '@tanstack/react-query';
import { Col, Empty, Row } from 'antd';
import { LineChart } from '../charts/LineChart';
import { ProblemAlert } from '../components/ProblemAlert';
import { PageLoading } from '../components/PageLoading';
import type { Task } from '../api/types';
import { chartsByMetric } from './metric-charts';
import { fetchMetrics, taskKeys } from './task-queries';

export function MetricsPanel({ task }: { task: Task }) {
  const attempts = Array.from({ length: Math.max(task.attempt, 1) }, (_, index) => index + 1);
  const results = useQueries({
    queries: attempts.map((attempt) => ({
      queryKey: taskKeys.metrics(task.id, attempt),
      queryFn: () => fetchMetrics(task.id, attempt),
    })),
  });
  if (results.some((result) => result.isPending)) return <PageLoading />;
  const failed = results.find((result) => result.error);
  if (failed) return <ProblemAlert error={failed.error} title="The metrics could not be loaded" />;
  const charts = chartsByMetric(
    results.map((result, index) => ({
      label: `attempt ${attempts[index]}`,
      series: (result.data?.series ?? []).filter((series) => series.attempt === attempts[index]),
    })),
  );
  if (!charts.length)
    return (
      <Empty description="No metrics yet. A run reports them by printing KILN_METRIC lines or over REST." />
    );
  return (
    <Row gutter={[16, 16]}>
      {charts.map((chart) => (
        <Col key={chart.name} xs={24} xl={12}>
          <LineChart title={chart.name} series={chart.series} />
        </Col>
      ))}
    </Row>
  );
}
