// Compare 2–10 tasks: hyperparameters side by side with differences marked, and each
// metric's curves of all of them on one chart. The picked ids live in the URL.
import { useQueries, useQuery } from '@tanstack/react-query';
import { Col, Empty, Row, Select, Switch, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { LineChart } from '../charts/LineChart';
import { ProblemAlert } from '../components/ProblemAlert';
import { StatusTag } from '../components/StatusTag';
import { diffHyperparameters } from '../tasks/hyperparameter-diff';
import { chartsByMetric } from '../tasks/metric-charts';
import { fetchMetrics, fetchTask, fetchTasks, taskKeys } from '../tasks/task-queries';

const MAX_TASKS = 10;

export default function ComparePage() {
  const [params, setParams] = useSearchParams();
  const ids = (params.get('ids') ?? '').split(',').filter(Boolean).slice(0, MAX_TASKS);
  const [search, setSearch] = useState('');
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const candidates = useQuery({
    queryKey: taskKeys.list({ limit: 50, nameContains: search || undefined }),
    queryFn: () => fetchTasks({ limit: 50, ...(search ? { nameContains: search } : {}) }),
  });
  const tasks = useQueries({
    queries: ids.map((id) => ({ queryKey: taskKeys.detail(id), queryFn: () => fetchTask(id) })),
  });
  const loaded = tasks.map((result) => result.data).filter((task) => task !== undefined);
  const metrics = useQueries({
    queries: loaded.map((task) => ({
      queryKey: taskKeys.metrics(task.id, Math.max(task.attempt, 1)),
      queryFn: () => fetchMetrics(task.id, Math.max(task.attempt, 1)),
    })),
  });

  const pick = (picked: string[]) =>
    setParams(picked.length ? { ids: picked.slice(0, MAX_TASKS).join(',') } : {});
  const rows = diffHyperparameters(loaded.map((task) => task.hyperparameters ?? {}));
  const charts = chartsByMetric(
    loaded.map((task, index) => ({ label: task.name, series: metrics[index]?.data?.series ?? [] })),
  );
  const failed = [...tasks, ...metrics].find((result) => result.error);

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        Compare tasks
      </Typography.Title>
      <Select
        mode="multiple"
        aria-label="Tasks to compare"
        placeholder="Pick 2 to 10 tasks"
        style={{ width: '100%', marginBottom: 16 }}
        value={ids}
        onChange={pick}
        filterOption={false}
        onSearch={setSearch}
        maxCount={MAX_TASKS}
        options={[
          ...loaded.filter((task) => !candidates.data?.items.some((item) => item.id === task.id)),
          ...(candidates.data?.items ?? []),
        ].map((task) => ({
          value: task.id,
          label: `${task.name} · ${task.status} · ${task.id.slice(0, 8)}`,
        }))}
      />
      {failed ? <ProblemAlert error={failed.error} /> : null}
      {ids.length < 2 ? (
        <Empty description="Pick at least two tasks above, or open a task and choose Compare." />
      ) : (
        <>
          <Space style={{ marginBottom: 8 }}>
            <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
              Hyperparameters
            </Typography.Title>
            <Switch
              checked={onlyDifferences}
              onChange={setOnlyDifferences}
              aria-label="Only differences"
            />
            <span>Only differences</span>
          </Space>
          <Table
            data-testid="hyperparameter-diff"
            rowKey="name"
            size="small"
            pagination={false}
            dataSource={onlyDifferences ? rows.filter((row) => row.differs) : rows}
            locale={{ emptyText: 'These tasks have no hyperparameters.' }}
            rowClassName={(row) => (row.differs ? 'kiln-differs' : '')}
            columns={[
              {
                title: 'Name',
                dataIndex: 'name',
                render: (name: string, row) => (
                  <>
                    {name} {row.differs ? <Tag bordered>differs</Tag> : null}
                  </>
                ),
              },
              ...loaded.map((task, index) => ({
                key: task.id,
                title: (
                  <Link to={`/tasks/${task.id}`}>
                    {task.name} <StatusTag status={task.status} />
                  </Link>
                ),
                render: (_: unknown, row: (typeof rows)[number]) =>
                  row.values[index] ?? <Typography.Text type="secondary">—</Typography.Text>,
              })),
            ]}
          />
          <Typography.Title level={2} style={{ fontSize: 18, marginTop: 24 }}>
            Metrics
          </Typography.Title>
          {charts.length ? (
            <Row gutter={[16, 16]}>
              {charts.map((chart) => (
                <Col key={chart.name} xs={24} xl={12}>
                  <LineChart title={chart.name} series={chart.series} />
                </Col>
              ))}
            </Row>
          ) : (
            <Empty description="None of these tasks reported metrics." />
          )}
        </>
      )}
    </>
  );
}
