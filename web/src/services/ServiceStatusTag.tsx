import { Badge } from 'antd';
import type { BadgeProps } from 'antd';
import type { Replica, ServiceStatus } from '../api/types';

// As with tasks, the colour is on the dot and the word keeps the text colour.
const SERVICE_COLORS: Record<ServiceStatus, BadgeProps['status']> = {
  deploying: 'processing',
  ready: 'success',
  degraded: 'warning',
  failed: 'error',
  stopping: 'default',
  stopped: 'default',
};

const REPLICA_COLORS: Record<Replica['state'], BadgeProps['status']> = {
  starting: 'processing',
  ready: 'success',
  unhealthy: 'error',
  stopping: 'default',
};

export function ServiceStatusTag({ status }: { status: ServiceStatus }) {
  return (
    <span data-status={status} style={{ whiteSpace: 'nowrap' }}>
      <Badge status={SERVICE_COLORS[status]} text={status} />
    </span>
  );
}

export function ReplicaStateTag({ state }: { state: Replica['state'] }) {
  return (
    <span data-state={state} style={{ whiteSpace: 'nowrap' }}>
      <Badge status={REPLICA_COLORS[state]} text={state} />
    </span>
  );
}
