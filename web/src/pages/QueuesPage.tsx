// Admin: task queues with their live figures (waiting, running, GPUs in use, the oldest
// wait) and their controls: pause, resume, drain.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Space, Table, Tag } from 'antd';
import { kiln, unwrap } from '../api/kiln';
import type { Queue } from '../api/types';
import { adminKeys } from '../admin/admin-keys';
import { ConfirmButton } from '../components/ConfirmButton';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';

type QueueAction = 'pause' | 'resume' | 'drain';

function waited(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export default function QueuesPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const queues = useQuery({
    queryKey: adminKeys.queues,
    queryFn: () => unwrap(kiln.api.GET('/api/v1/admin/queues')),
  });
  const act = useMutation({
    mutationFn: async ({ name, action }: { name: string; action: QueueAction }) => {
      const path = { params: { path: { name } } };
      if (action === 'pause') {
        await unwrap(kiln.api.POST('/api/v1/admin/queues/{name}/pause', path));
        return `Paused ${name}: nothing new starts from it`;
      }
      if (action === 'resume') {
        await unwrap(kiln.api.POST('/api/v1/admin/queues/{name}/resume', path));
        return `Resumed ${name}`;
      }
      const { cancelled } = await unwrap(kiln.api.POST('/api/v1/admin/queues/{name}/drain', path));
      return `Drained ${name}: ${cancelled} waiting task${cancelled === 1 ? '' : 's'} cancelled`;
    },
    onSuccess: (done) => {
      message.success(done);
      void queryClient.invalidateQueries({ queryKey: adminKeys.queues });
    },
    onError: (error: Error) => message.error(error.message),
  });
  return (
    <>
      <PageHeader title="Queues" />
      <ProblemAlert error={queues.error} title="The queues could not be loaded" />
      <Table<Queue>
        rowKey="name"
        loading={queues.isPending}
        dataSource={queues.data?.items ?? []}
        pagination={false}
        columns={[
          { title: 'Queue', dataIndex: 'name' },
          {
            title: 'State',
            dataIndex: 'paused',
            width: 90,
            render: (paused: boolean) => <Tag>{paused ? 'paused' : 'open'}</Tag>,
          },
          { title: 'Runtime', dataIndex: 'runtime', width: 100 },
          { title: 'Pending', dataIndex: 'pending', width: 90, align: 'right' },
          { title: 'Queued', dataIndex: 'queued', width: 90, align: 'right' },
          {
            title: 'Running',
            key: 'running',
            width: 110,
            align: 'right',
            render: (_, queue) => `${queue.running} / ${queue.maxRunning}`,
          },
          {
            title: 'GPUs',
            key: 'gpus',
            width: 90,
            align: 'right',
            render: (_, queue) => `${queue.gpusInUse} / ${queue.maxGpus}`,
          },
          {
            title: 'Oldest wait',
            dataIndex: 'oldestWaitingSeconds',
            width: 110,
            align: 'right',
            render: waited,
          },
          {
            title: 'Who submits',
            key: 'access',
            render: (_, queue) =>
              [...(queue.allowedRoles ?? ['everyone']), ...(queue.allowedUsers ?? [])].join(', '),
          },
          {
            title: 'Actions',
            key: 'actions',
            width: 190,
            render: (_, queue) => (
              <Space size="small">
                <Button
                  size="small"
                  onClick={() =>
                    act.mutate({ name: queue.name, action: queue.paused ? 'resume' : 'pause' })
                  }
                  aria-label={`${queue.paused ? 'Resume' : 'Pause'} ${queue.name}`}
                >
                  {queue.paused ? 'Resume' : 'Pause'}
                </Button>
                <ConfirmButton
                  size="small"
                  danger
                  question={`Cancel every waiting task of ${queue.name}?`}
                  confirmText="Drain"
                  onConfirm={() => act.mutate({ name: queue.name, action: 'drain' })}
                  aria-label={`Drain ${queue.name}`}
                >
                  Drain
                </ConfirmButton>
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
