// One task: summary and spec, why it waits, attempts, events, live log, metric charts and
// artifacts. Status and progress move with the live event stream.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Alert, Button, Descriptions, Popconfirm, Space, Tabs, Typography } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { kiln, unwrap } from '../api/kiln';
import type { Task } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { PageLoading } from '../components/PageLoading';
import { ProblemAlert } from '../components/ProblemAlert';
import { StatusTag, TaskProgress } from '../components/StatusTag';
import { ArtifactsPanel } from '../tasks/ArtifactsPanel';
import { AttemptsTimeline, EventsTable } from '../tasks/HistoryPanels';
import { TaskLog } from '../tasks/TaskLog';
import { MetricsPanel } from '../tasks/MetricsPanel';
import { isCancellable, isRetryable } from '../tasks/task-actions';
import { fetchTask, taskKeys } from '../tasks/task-queries';

const time = (value: string | null | undefined) => (value ? new Date(value).toLocaleString() : '—');

function Actions({ task }: { task: Task }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const path = { params: { path: { id: task.id } } };
  const onDone = (updated: Task) => {
    queryClient.setQueryData(taskKeys.detail(task.id), updated);
    void queryClient.invalidateQueries({ queryKey: taskKeys.related(task.id) });
  };
  const cancel = useMutation({
    mutationFn: () => unwrap(kiln.api.POST('/api/v1/tasks/{id}/cancel', { ...path })),
    onSuccess: (updated) => {
      onDone(updated);
      message.success('Cancel requested');
    },
    onError: (error: Error) => message.error(error.message),
  });
  const retry = useMutation({
    mutationFn: () => unwrap(kiln.api.POST('/api/v1/tasks/{id}/retry', { ...path })),
    onSuccess: (updated) => {
      onDone(updated);
      message.success('Retrying');
    },
    onError: (error: Error) => message.error(error.message),
  });
  return (
    <Space wrap>
      {isCancellable(task.status) ? (
        <Popconfirm
          title="Cancel this task?"
          okText="Cancel task"
          cancelText="Keep it"
          onConfirm={() => cancel.mutate()}
        >
          <Button danger loading={cancel.isPending}>
            Cancel
          </Button>
        </Popconfirm>
      ) : null}
      {isRetryable(task.status) ? (
        <Button loading={retry.isPending} onClick={() => retry.mutate()}>
          Retry
        </Button>
      ) : null}
      <Button onClick={() => void navigate(`/tasks/new?from=${task.id}`)}>Clone into form</Button>
      <Link to={`/compare?ids=${task.id}`}>
        <Button>Compare…</Button>
      </Link>
    </Space>
  );
}

function Summary({ task }: { task: Task }) {
  return (
    <>
      {task.waiting ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={
            task.waiting.position
              ? `Waiting: number ${task.waiting.position} in queue ${task.queue}`
              : 'Waiting'
          }
          description={
            task.waiting.reasons?.length ? (
              <ul style={{ margin: 0 }}>
                {task.waiting.reasons.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
            ) : undefined
          }
        />
      ) : null}
      {task.failureReason ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title="Why it failed"
          description={task.failureReason}
        />
      ) : null}
      <Descriptions bordered size="small" column={{ xs: 1, lg: 2 }}>
        <Descriptions.Item label="Status">
          <StatusTag status={task.status} />
        </Descriptions.Item>
        <Descriptions.Item label="Progress">
          <TaskProgress task={task} />
        </Descriptions.Item>
        <Descriptions.Item label="Queue">{task.queue}</Descriptions.Item>
        <Descriptions.Item label="Priority">{task.priority}</Descriptions.Item>
        <Descriptions.Item label="Attempt">
          {task.attempt} (retries used {task.retriesUsed} of {task.maxRetries})
        </Descriptions.Item>
        <Descriptions.Item label="Exit code">{task.exitCode ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="Created">{time(task.createdAt)}</Descriptions.Item>
        <Descriptions.Item label="Started">{time(task.startedAt)}</Descriptions.Item>
        <Descriptions.Item label="Finished">{time(task.finishedAt)}</Descriptions.Item>
        <Descriptions.Item label="Timeout">
          {task.timeoutSeconds ? `${task.timeoutSeconds} s` : 'none'}
        </Descriptions.Item>
        <Descriptions.Item label="Command" span={2}>
          <Typography.Text code>{task.command.join(' ')}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={2} style={{ fontSize: 18, marginTop: 24 }}>
        Spec
      </Typography.Title>
      <pre
        tabIndex={0}
        aria-label="Task spec"
        style={{
          fontSize: 12,
          padding: 12,
          borderRadius: 6,
          background: 'rgba(127,127,127,0.12)',
          overflow: 'auto',
        }}
      >
        {JSON.stringify(
          {
            name: task.name,
            description: task.description,
            queue: task.queue,
            priority: task.priority,
            command: task.command,
            shell: task.shell,
            image: task.image,
            workingDir: task.workingDir,
            env: task.env,
            labels: task.labels,
            hyperparameters: task.hyperparameters,
            resources: task.resources,
            maxRetries: task.maxRetries,
            retryBackoffSeconds: task.retryBackoffSeconds,
            timeoutSeconds: task.timeoutSeconds,
            noRetryExitCodes: task.noRetryExitCodes,
            dependsOn: task.dependsOn,
          },
          null,
          2,
        )}
      </pre>
    </>
  );
}

export default function TaskDetailPage() {
  const { id = '' } = useParams();
  const { canAct } = useAuth();
  const task = useQuery({ queryKey: taskKeys.detail(id), queryFn: () => fetchTask(id) });
  if (task.isPending) return <PageLoading />;
  if (task.error) return <ProblemAlert error={task.error} title="The task could not be loaded" />;
  const current = task.data;
  return (
    <>
      <Space
        align="center"
        wrap
        style={{ justifyContent: 'space-between', width: '100%', marginBottom: 8 }}
      >
        <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
          {current.name} <StatusTag status={current.status} />
        </Typography.Title>
        {canAct ? <Actions task={current} /> : null}
      </Space>
      <Typography.Paragraph type="secondary" copyable={{ text: current.id }}>
        {current.description || current.id}
      </Typography.Paragraph>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'summary', label: 'Summary', children: <Summary task={current} /> },
          {
            key: 'log',
            label: 'Log',
            children: <TaskLog taskId={current.id} attempt={current.attempt} />,
          },
          { key: 'metrics', label: 'Metrics', children: <MetricsPanel task={current} /> },
          {
            key: 'attempts',
            label: 'Attempts',
            children: <AttemptsTimeline taskId={current.id} />,
          },
          { key: 'events', label: 'Events', children: <EventsTable taskId={current.id} /> },
          { key: 'artifacts', label: 'Artifacts', children: <ArtifactsPanel task={current} /> },
        ]}
      />
    </>
  );
}
