import { Badge, Progress } from 'antd';
import type { BadgeProps } from 'antd';
import type { Task, TaskStatus } from '../api/types';

// The colour is on the dot only; the word stays in the text colour, readable on any
// background (coloured tags fall short of WCAG contrast).
const COLORS: Record<TaskStatus, BadgeProps['status']> = {
  pending: 'default',
  queued: 'default',
  running: 'processing',
  cancelling: 'warning',
  lost: 'warning',
  succeeded: 'success',
  failed: 'error',
  timed_out: 'error',
  cancelled: 'default',
};

export function StatusTag({ status }: { status: TaskStatus }) {
  return (
    <span data-status={status} style={{ whiteSpace: 'nowrap' }}>
      <Badge status={COLORS[status]} text={status.replace('_', ' ')} />
    </span>
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
