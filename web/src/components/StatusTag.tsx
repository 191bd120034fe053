import { Progress, Tag } from 'antd';
import type { Task, TaskStatus } from '../api/types';

const COLORS: Record<TaskStatus, string> = {
  pending: 'default',
  queued: 'cyan',
  running: 'processing',
  cancelling: 'warning',
  lost: 'magenta',
  succeeded: 'success',
  failed: 'error',
  timed_out: 'volcano',
  cancelled: 'default',
};

export function StatusTag({ status }: { status: TaskStatus }) {
  return (
    <Tag color={COLORS[status]} data-status={status}>
      {status.replace('_', ' ')}
    </Tag>
  );
}

export function TaskProgress({ task }: { task: Pick<Task, 'progress' | 'status'> }) {
  const percent = Math.round((task.progress ?? 0) * 100);
  const status =
    task.status === 'failed' || task.status === 'timed_out'
      ? 'exception'
      : task.status === 'succeeded'
        ? 'success'
        : task.status === 'running'
          ? 'active'
          : 'normal';
  return (
    <Progress percent={percent} size="small" status={status} aria-label={`progress ${percent}%`} />
  );
}
