// Tasks: filters, sort and cursor in the URL; status and progress move with the live
// event stream (no polling); members and admins can cancel several tasks at once.
import { App, Button, Empty, Input, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { kiln, unwrap } from '../api/kiln';
import { TASK_STATUSES, type Task, type TaskListQuery } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { useStreamState } from '../live/event-stream';
import { LazyProblemAlert } from '../components/LazyProblemAlert';
import { StatusTag, TaskProgress } from '../components/StatusTag';
import { PAGE_SIZES, paramsFromQuery, queryFromParams } from '../tasks/list-query';
import { fetchTasks, taskKeys } from '../tasks/task-queries';
import { isCancellable } from '../tasks/task-actions';

const columns: TableColumnsType<Task> = [
  {
    title: 'Name',
    dataIndex: 'name',
    render: (name: string, task) => <Link to={`/tasks/${task.id}`}>{name}</Link>,
  },
  {
    title: 'Status',
    dataIndex: 'status',
    width: 120,
    render: (_, task) => <StatusTag status={task.status} />,
  },
  {
    title: 'Progress',
    key: 'progress',
    width: 160,
    render: (_, task) => <TaskProgress task={task} />,
  },
  { title: 'Queue', dataIndex: 'queue', width: 110 },
  { title: 'Priority', dataIndex: 'priority', width: 90, align: 'right' },
  { title: 'Attempt', dataIndex: 'attempt', width: 90, align: 'right' },
  {
    title: 'Created',
    dataIndex: 'createdAt',
    width: 190,
    render: (value: string) => <time dateTime={value}>{new Date(value).toLocaleString()}</time>,
  },
];

export default function TaskListPage() {
  const [params, setParams] = useSearchParams();
  const query = queryFromParams(params);
  const { canAct } = useAuth();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string[]>([]);
  const [cancelling, setCancelling] = useState(false);
  const tasks = useQuery({
    queryKey: taskKeys.list(query),
    queryFn: () => fetchTasks(query),
    placeholderData: keepPreviousData,
    // Rows read before the live stream listens could miss a change made in between and
    // stay stale; the stream's first answer (or its failure) comes within a round trip.
    enabled: useStreamState() !== 'connecting',
  });

  const change = (patch: Partial<TaskListQuery>) => {
    const { cursor: _cursor, ...rest } = query;
    setParams(paramsFromQuery({ ...rest, ...patch }));
    setSelected([]);
  };

  const cancelSelected = async () => {
    setCancelling(true);
    const results = await Promise.allSettled(
      selected.map((id) =>
        unwrap(kiln.api.POST('/api/v1/tasks/{id}/cancel', { params: { path: { id } } })),
      ),
    );
    setCancelling(false);
    const failed = results.filter((result) => result.status === 'rejected').length;
    if (failed) message.error(`${failed} of ${selected.length} could not be cancelled`);
    else message.success(`Cancelled ${selected.length} task${selected.length === 1 ? '' : 's'}`);
    setSelected([]);
    void queryClient.invalidateQueries({ queryKey: taskKeys.lists() });
  };

  const items = tasks.data?.items ?? [];
  const cancellable = items.filter(
    (task) => selected.includes(task.id) && isCancellable(task.status),
  );

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        Tasks
      </Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          mode="multiple"
          allowClear
          placeholder="Any status"
          aria-label="Status filter"
          style={{ minWidth: 220 }}
          value={query.status ?? []}
          onChange={(status) => change({ status: status.length ? status : undefined })}
          options={TASK_STATUSES.map((status) => ({
            value: status,
            label: status.replace('_', ' '),
          }))}
        />
        <Input.Search
          allowClear
          placeholder="Name contains"
          aria-label="Name contains"
          defaultValue={query.nameContains}
          onSearch={(value) => change({ nameContains: value || undefined })}
          style={{ width: 220 }}
        />
        <Input.Search
          allowClear
          placeholder="Queue"
          aria-label="Queue"
          defaultValue={query.queue}
          onSearch={(value) => change({ queue: value || undefined })}
          style={{ width: 160 }}
        />
        <Select
          aria-label="Sort"
          value={query.sort ?? 'created'}
          onChange={(sort) => change({ sort })}
          options={[
            { value: 'created', label: 'Newest first' },
            { value: 'priority', label: 'Highest priority first' },
          ]}
          style={{ width: 200 }}
        />
        {canAct ? (
          <>
            <Button
              danger
              disabled={!cancellable.length}
              loading={cancelling}
              onClick={() => void cancelSelected()}
            >
              Cancel selected{cancellable.length ? ` (${cancellable.length})` : ''}
            </Button>
            <Link to="/tasks/new">
              <Button type="primary">Submit a task</Button>
            </Link>
          </>
        ) : null}
      </Space>
      {tasks.error ? (
        <LazyProblemAlert error={tasks.error} title="The tasks could not be loaded" />
      ) : null}
      <Table<Task>
        data-testid="task-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={tasks.isPending}
        pagination={false}
        rowSelection={
          canAct
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys as string[]),
                getCheckboxProps: (task) => ({ 'aria-label': `Select ${task.name}` }),
              }
            : undefined
        }
        locale={{
          emptyText: (
            <Empty
              description={
                params.toString() && params.toString() !== 'limit=50'
                  ? 'No task matches these filters.'
                  : 'No tasks yet.'
              }
            >
              {canAct ? <Link to="/tasks/new">Submit your first task</Link> : null}
            </Empty>
          ),
        }}
      />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={!query.cursor} onClick={() => change({})}>
          First page
        </Button>
        <Button
          disabled={!tasks.data?.nextCursor}
          onClick={() => setParams(paramsFromQuery({ ...query, cursor: tasks.data!.nextCursor! }))}
        >
          Next page
        </Button>
        <Select
          aria-label="Page size"
          value={query.limit}
          onChange={(limit) => change({ limit })}
          options={PAGE_SIZES.map((size) => ({ value: size, label: `${size} per page` }))}
        />
      </Space>
    </>
  );
}
