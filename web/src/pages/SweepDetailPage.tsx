// One sweep: its settings and progress, the leaderboard of trials that reported the
// objective, and every trial with its task; its owner or an admin cancels it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Descriptions, Table, Tabs, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { kiln, unwrap } from '../api/kiln';
import type { Sweep, SweepTrial } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ConfirmButton } from '../components/ConfirmButton';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { Timestamp } from '../components/Timestamp';
import { sweepKeys } from '../sweeps/sweep-keys';
import { SweepProgress } from '../sweeps/SweepProgress';

function TrialsTable({ trials, ranked }: { trials: SweepTrial[]; ranked?: boolean }) {
  return (
    <Table<SweepTrial>
      rowKey="index"
      size="small"
      dataSource={trials}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      locale={{
        emptyText: ranked
          ? 'No trial has reported the objective metric yet.'
          : 'No trial has started yet.',
      }}
      columns={[
        ...(ranked
          ? [
              {
                title: 'Rank',
                key: 'rank',
                width: 70,
                render: (_: unknown, __: unknown, i: number) => i + 1,
              },
            ]
          : []),
        { title: 'Trial', dataIndex: 'index', width: 70 },
        {
          title: 'Hyperparameters',
          dataIndex: 'hyperparameters',
          render: (values: Record<string, unknown>) => (
            <Typography.Text code>{JSON.stringify(values)}</Typography.Text>
          ),
        },
        { title: 'Value', dataIndex: 'value', width: 120, render: (value) => value ?? '—' },
        { title: 'Step', dataIndex: 'step', width: 80, render: (step) => step ?? '—' },
        { title: 'Status', dataIndex: 'status', width: 110 },
        {
          title: 'Task',
          dataIndex: 'taskId',
          width: 110,
          render: (taskId: string) => <Link to={`/tasks/${taskId}`}>{taskId.slice(0, 8)}</Link>,
        },
      ]}
    />
  );
}

function Summary({ sweep }: { sweep: Sweep }) {
  return (
    <Descriptions bordered size="small" column={2} style={{ marginBottom: 16 }}>
      <Descriptions.Item label="Status">
        <Tag>{sweep.status}</Tag>
      </Descriptions.Item>
      <Descriptions.Item label="Trials">
        <SweepProgress sweep={sweep} />
      </Descriptions.Item>
      <Descriptions.Item label="Objective">
        {sweep.objective.goal} the {sweep.objective.value} {sweep.objective.metric}
      </Descriptions.Item>
      <Descriptions.Item label="Best">
        {sweep.best ? `${sweep.best.value} (trial ${sweep.best.index})` : '—'}
      </Descriptions.Item>
      <Descriptions.Item label="Strategy">
        {sweep.strategy}
        {sweep.strategy === 'random' ? `, seed ${sweep.seed}` : ''}
      </Descriptions.Item>
      <Descriptions.Item label="At once">{sweep.parallelism}</Descriptions.Item>
      <Descriptions.Item label="Early stopping">{sweep.earlyStopping}</Descriptions.Item>
      <Descriptions.Item label="Created">
        <Timestamp value={sweep.createdAt} />
      </Descriptions.Item>
      <Descriptions.Item label="Search space" span={2}>
        <Typography.Text code>{JSON.stringify(sweep.parameters)}</Typography.Text>
      </Descriptions.Item>
    </Descriptions>
  );
}

export default function SweepDetailPage() {
  const { id = '' } = useParams();
  const { canAct } = useAuth();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const sweep = useQuery({
    queryKey: sweepKeys.detail(id),
    queryFn: () => unwrap(kiln.api.GET('/api/v1/sweeps/{id}', { params: { path: { id } } })),
  });
  const cancel = useMutation({
    mutationFn: () =>
      unwrap(kiln.api.POST('/api/v1/sweeps/{id}/cancel', { params: { path: { id } } })),
    onSuccess: () => {
      message.success('Sweep cancelled; its unfinished trials are being cancelled');
      void queryClient.invalidateQueries({ queryKey: sweepKeys.all });
    },
    onError: (error: Error) => message.error(error.message),
  });
  return (
    <>
      <PageHeader title={`Sweep ${sweep.data?.name ?? ''}`}>
        {canAct && sweep.data?.status === 'running' ? (
          <ConfirmButton
            danger
            question="Cancel the sweep and its unfinished trials?"
            confirmText="Cancel sweep"
            onConfirm={() => cancel.mutate()}
            loading={cancel.isPending}
          >
            Cancel
          </ConfirmButton>
        ) : null}
      </PageHeader>
      <ProblemAlert error={sweep.error} title="The sweep could not be loaded" />
      {sweep.data ? (
        <>
          <Summary sweep={sweep.data} />
          <Tabs
            items={[
              {
                key: 'leaderboard',
                label: 'Leaderboard',
                children: <TrialsTable trials={sweep.data.leaderboard} ranked />,
              },
              {
                key: 'trials',
                label: 'Trials',
                children: <TrialsTable trials={sweep.data.trials} />,
              },
            ]}
          />
        </>
      ) : null}
    </>
  );
}
