// A task's attempts as a timeline and its recorded events (every status move: who, when,
// from, to, why).
import { useQuery } from '@tanstack/react-query';
import { Empty, Table, Timeline, Typography } from 'antd';
import { ProblemAlert } from '../components/ProblemAlert';
import { StatusTag } from '../components/StatusTag';
import { fetchAttempts, fetchEvents, taskKeys } from './task-queries';

const time = (value: string | null | undefined) => (value ? new Date(value).toLocaleString() : '—');

export function AttemptsTimeline({ taskId }: { taskId: string }) {
  const attempts = useQuery({
    queryKey: taskKeys.attempts(taskId),
    queryFn: () => fetchAttempts(taskId),
  });
  if (attempts.error) return <ProblemAlert error={attempts.error} />;
  if (attempts.data && !attempts.data.length)
    return <Empty description="No attempt yet: the task has not been queued." />;
  return (
    <Timeline
      items={(attempts.data ?? []).map((attempt) => ({
        key: attempt.number,
        color:
          attempt.status === 'succeeded'
            ? 'green'
            : attempt.status === 'running'
              ? 'blue'
              : attempt.status === 'failed' || attempt.status === 'timed_out'
                ? 'red'
                : 'gray',
        content: (
          <>
            <Typography.Text strong>Attempt {attempt.number}</Typography.Text>{' '}
            <StatusTag status={attempt.status} /> on {attempt.executor}
            <div>
              queued {time(attempt.queuedAt)} · started {time(attempt.startedAt)} · finished{' '}
              {time(attempt.finishedAt)}
              {attempt.exitCode !== null && attempt.exitCode !== undefined
                ? ` · exit code ${attempt.exitCode}`
                : ''}
            </div>
            {attempt.reason ? (
              <Typography.Text type="secondary">{attempt.reason}</Typography.Text>
            ) : null}
          </>
        ),
      }))}
    />
  );
}

export function EventsTable({ taskId }: { taskId: string }) {
  const events = useQuery({
    queryKey: taskKeys.events(taskId),
    queryFn: () => fetchEvents(taskId),
  });
  if (events.error) return <ProblemAlert error={events.error} />;
  return (
    <Table
      rowKey="id"
      size="small"
      loading={events.isPending}
      dataSource={(events.data ?? []).filter((event) => event.kind === 'status')}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      columns={[
        { title: 'When', dataIndex: 'occurredAt', width: 200, render: time },
        {
          title: 'From',
          dataIndex: 'from',
          width: 120,
          render: (from) => (from ? <StatusTag status={from} /> : '—'),
        },
        { title: 'To', dataIndex: 'to', width: 120, render: (to) => <StatusTag status={to} /> },
        { title: 'Attempt', dataIndex: 'attempt', width: 90 },
        { title: 'By', dataIndex: 'actor', width: 140 },
        { title: 'Why', dataIndex: 'reason' },
      ]}
    />
  );
}
