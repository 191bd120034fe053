// Admin: the system view. Version and run mode, the database and Redis as this process
// sees them, every Kiln process by its heartbeat (which one leads), and the job queues.
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Descriptions, Table, Tag, Typography } from 'antd';
import { kiln, unwrap } from '../api/kiln';
import type { DependencyState, JobQueueCounts, KilnProcess } from '../api/types';
import { adminKeys } from '../admin/admin-keys';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { Timestamp } from '../components/Timestamp';

function Dependency({ state }: { state: DependencyState }) {
  const badge = state.state === 'up' ? 'success' : state.state === 'down' ? 'error' : 'default';
  return (
    <span data-state={state.state}>
      <Badge status={badge} text={state.state} />
      {state.latencyMs !== null ? ` (${state.latencyMs} ms)` : ''}
      {state.error ? <div>{state.error}</div> : null}
    </span>
  );
}

export default function SystemPage() {
  const system = useQuery({
    queryKey: adminKeys.system,
    queryFn: () => unwrap(kiln.api.GET('/api/v1/admin/system')),
  });
  const view = system.data;
  return (
    <>
      <PageHeader title="System">
        <Button onClick={() => void system.refetch()} loading={system.isRefetching}>
          Refresh
        </Button>
      </PageHeader>
      <ProblemAlert error={system.error} title="The system view could not be loaded" />
      {view ? (
        <>
          <Descriptions bordered size="small" column={2} style={{ marginBottom: 16 }}>
            <Descriptions.Item label="Kiln">{view.version}</Descriptions.Item>
            <Descriptions.Item label="Node.js">{view.node}</Descriptions.Item>
            <Descriptions.Item label="Run mode" span={2}>
              database {view.mode.database}, job queue {view.mode.jobQueue}, wake-ups{' '}
              {view.mode.wakeups}
            </Descriptions.Item>
            <Descriptions.Item label="Database">
              <Dependency state={view.database} />
            </Descriptions.Item>
            <Descriptions.Item label="Redis">
              <Dependency state={view.redis} />
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={2} style={{ fontSize: 18 }}>
            Processes
          </Typography.Title>
          <Table<KilnProcess>
            rowKey="id"
            size="small"
            dataSource={view.processes}
            pagination={false}
            style={{ marginBottom: 16 }}
            columns={[
              {
                title: 'Process',
                key: 'process',
                render: (_, process) => (
                  <>
                    {process.host}:{process.pid} {process.leader ? <Tag>leader</Tag> : null}
                    {process.self ? <Tag>this one</Tag> : null}
                  </>
                ),
              },
              { title: 'Role', dataIndex: 'role', width: 90 },
              { title: 'Version', dataIndex: 'version', width: 100 },
              {
                title: 'Started',
                dataIndex: 'startedAt',
                width: 190,
                render: (value: string) => <Timestamp value={value} />,
              },
              {
                title: 'Last heartbeat',
                dataIndex: 'lastHeartbeatAt',
                width: 190,
                render: (value: string) => <Timestamp value={value} />,
              },
            ]}
          />
          <Typography.Title level={2} style={{ fontSize: 18 }}>
            Job queues
          </Typography.Title>
          <Table<JobQueueCounts>
            rowKey="name"
            size="small"
            dataSource={view.jobQueues}
            pagination={false}
            columns={[
              { title: 'Job queue', dataIndex: 'name' },
              ...(['Waiting', 'Delayed', 'Active', 'Completed', 'Failed'] as const).map(
                (title) => ({
                  title,
                  dataIndex: title.toLowerCase(),
                  width: 100,
                  align: 'right' as const,
                }),
              ),
            ]}
          />
        </>
      ) : null}
    </>
  );
}
