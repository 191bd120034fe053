// Schedules: cron expressions that submit a task, with their next times and the history
// of each fire; members and admins create, edit, trigger, suspend, resume and delete them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { kiln, unwrap } from '../api/kiln';
import type { Schedule, ScheduleFire } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { actionsColumn } from '../components/actions-column';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { Timestamp } from '../components/Timestamp';
import { CreateScheduleModal } from '../schedules/CreateScheduleModal';
import { EditScheduleModal } from '../schedules/EditScheduleModal';
import { scheduleKeys } from '../schedules/schedule-keys';

type ScheduleAction = 'suspend' | 'resume' | 'trigger' | 'delete';

function FireHistory({ schedule }: { schedule: Schedule }) {
  return (
    <Table<ScheduleFire>
      rowKey="id"
      size="small"
      dataSource={schedule.history}
      pagination={false}
      locale={{ emptyText: 'It has not fired yet.' }}
      columns={[
        {
          title: 'Scheduled for',
          dataIndex: 'scheduledAt',
          render: (value: string) => <Timestamp value={value} />,
        },
        { title: 'Kind', dataIndex: 'kind', width: 100 },
        { title: 'Outcome', dataIndex: 'outcome', width: 110 },
        { title: 'Reason', dataIndex: 'reason' },
        {
          title: 'Task',
          dataIndex: 'taskId',
          render: (taskId: string | null) =>
            taskId ? <Link to={`/tasks/${taskId}`}>{taskId.slice(0, 8)}</Link> : '—',
        },
      ]}
    />
  );
}

export default function SchedulesPage() {
  const { canAct } = useAuth();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Schedule>();
  const schedules = useQuery({
    queryKey: scheduleKeys.all,
    queryFn: () => unwrap(kiln.api.GET('/api/v1/schedules', { params: { query: { limit: 100 } } })),
  });
  const act = useMutation({
    mutationFn: async ({ id, action }: { id: string; action: ScheduleAction }) => {
      const path = { params: { path: { id } } };
      if (action === 'delete') return unwrap(kiln.api.DELETE('/api/v1/schedules/{id}', path));
      if (action === 'trigger')
        return unwrap(kiln.api.POST('/api/v1/schedules/{id}/trigger', path));
      if (action === 'suspend')
        return unwrap(kiln.api.POST('/api/v1/schedules/{id}/suspend', path));
      return unwrap(kiln.api.POST('/api/v1/schedules/{id}/resume', path));
    },
    onSuccess: (_, { action }) => {
      message.success(
        { suspend: 'Suspended', resume: 'Resumed', trigger: 'Triggered', delete: 'Deleted' }[
          action
        ],
      );
      void queryClient.invalidateQueries({ queryKey: scheduleKeys.all });
    },
    onError: (error: Error) => message.error(error.message),
  });

  return (
    <>
      <PageHeader title="Schedules">
        {canAct ? (
          <Button type="primary" onClick={() => setCreating(true)}>
            Create schedule
          </Button>
        ) : null}
      </PageHeader>
      <ProblemAlert error={schedules.error} title="The schedules could not be loaded" />
      <Table<Schedule>
        rowKey="id"
        loading={schedules.isPending}
        dataSource={schedules.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        expandable={{ expandedRowRender: (schedule) => <FireHistory schedule={schedule} /> }}
        locale={{
          emptyText: (
            <Empty description="No schedules yet.">
              {canAct ? 'Create one to submit a task on a cron expression.' : null}
            </Empty>
          ),
        }}
        columns={[
          { title: 'Name', dataIndex: 'name' },
          {
            title: 'When',
            key: 'when',
            render: (_, schedule) => (
              <>
                <Typography.Text code>{schedule.cron}</Typography.Text> {schedule.timezone}
              </>
            ),
          },
          {
            title: 'State',
            dataIndex: 'suspended',
            width: 110,
            render: (suspended: boolean) => <Tag>{suspended ? 'suspended' : 'active'}</Tag>,
          },
          { title: 'Policy', dataIndex: 'concurrencyPolicy', width: 90 },
          {
            title: 'Next time',
            key: 'next',
            width: 190,
            render: (_, schedule) =>
              schedule.suspended ? '—' : <Timestamp value={schedule.nextFireTimes[0]} />,
          },
          {
            title: 'Last task',
            dataIndex: 'lastTaskId',
            width: 110,
            render: (taskId: string | null) =>
              taskId ? <Link to={`/tasks/${taskId}`}>{taskId.slice(0, 8)}</Link> : '—',
          },
          ...(canAct
            ? [
                actionsColumn<Schedule>(
                  (schedule) => [
                    {
                      label: 'Edit',
                      onClick: () => setEditing(schedule),
                      ariaLabel: `Edit ${schedule.name}`,
                    },
                    {
                      label: 'Trigger',
                      onClick: () => act.mutate({ id: schedule.id, action: 'trigger' }),
                      ariaLabel: `Trigger ${schedule.name} now`,
                    },
                    {
                      label: schedule.suspended ? 'Resume' : 'Suspend',
                      onClick: () =>
                        act.mutate({
                          id: schedule.id,
                          action: schedule.suspended ? 'resume' : 'suspend',
                        }),
                    },
                    {
                      label: 'Delete',
                      onClick: () => act.mutate({ id: schedule.id, action: 'delete' }),
                      confirm: {
                        question: `Delete the schedule ${schedule.name}?`,
                        confirmText: 'Delete',
                      },
                    },
                  ],
                  300,
                ),
              ]
            : []),
        ]}
      />
      <CreateScheduleModal open={creating} onClose={() => setCreating(false)} />
      <EditScheduleModal schedule={editing} onClose={() => setEditing(undefined)} />
    </>
  );
}
