// Sweeps: each with its status, trial progress and best value so far; members and admins
// start new ones. Progress moves with the trials' status events.
import { useQuery } from '@tanstack/react-query';
import { Button, Empty, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { kiln, unwrap } from '../api/kiln';
import type { Sweep } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { Timestamp } from '../components/Timestamp';
import { CreateSweepModal } from '../sweeps/CreateSweepModal';
import { sweepKeys } from '../sweeps/sweep-keys';
import { SweepProgress } from '../sweeps/SweepProgress';

export default function SweepsPage() {
  const { canAct } = useAuth();
  const [creating, setCreating] = useState(false);
  const sweeps = useQuery({
    queryKey: sweepKeys.list(),
    queryFn: () => unwrap(kiln.api.GET('/api/v1/sweeps', { params: { query: { limit: 100 } } })),
  });
  return (
    <>
      <PageHeader title="Sweeps">
        {canAct ? (
          <Button type="primary" onClick={() => setCreating(true)}>
            Start a sweep
          </Button>
        ) : null}
      </PageHeader>
      <ProblemAlert error={sweeps.error} title="The sweeps could not be loaded" />
      <Table<Sweep>
        rowKey="id"
        loading={sweeps.isPending}
        dataSource={sweeps.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{
          emptyText: (
            <Empty description="No sweeps yet.">
              {canAct ? 'Start one to search hyperparameters with a trial per combination.' : null}
            </Empty>
          ),
        }}
        columns={[
          {
            title: 'Name',
            dataIndex: 'name',
            render: (name: string, sweep) => <Link to={`/sweeps/${sweep.id}`}>{name}</Link>,
          },
          {
            title: 'Status',
            dataIndex: 'status',
            width: 110,
            render: (status: string) => <Tag>{status}</Tag>,
          },
          {
            title: 'Trials',
            key: 'progress',
            width: 200,
            render: (_, sweep) => <SweepProgress sweep={sweep} />,
          },
          {
            title: 'Objective',
            key: 'objective',
            render: (_, { objective }) =>
              `${objective.goal} ${objective.value} ${objective.metric}`,
          },
          {
            title: 'Best',
            key: 'best',
            width: 120,
            render: (_, sweep) => sweep.best?.value ?? '—',
          },
          {
            title: 'Created',
            dataIndex: 'createdAt',
            width: 190,
            render: (value: string) => <Timestamp value={value} />,
          },
        ]}
      />
      <CreateSweepModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
