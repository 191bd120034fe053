// The one table of a service's status moves (docs/architecture.md, "Service lifecycle").
export enum ServiceStatus {
  /** A revision is rolling out, or replicas are starting. */
  Deploying = 'deploying',
  /** Every wanted replica of the serving revision answers its health check. */
  Ready = 'ready',
  /** Serving, with fewer ready replicas than wanted (crashed, restarting, unhealthy). */
  Degraded = 'degraded',
  /** The first revision never became healthy, so nothing serves. */
  Failed = 'failed',
  /** Deleted: its replicas are being stopped. */
  Stopping = 'stopping',
  /** Scaled to zero: deployed, nothing running. */
  Stopped = 'stopped',
}

export const SERVICE_STATUSES = Object.values(ServiceStatus);

const S = ServiceStatus;

export const SERVICE_TRANSITIONS: Record<ServiceStatus, readonly ServiceStatus[]> = {
  [S.Deploying]: [S.Ready, S.Degraded, S.Failed, S.Stopping, S.Stopped],
  [S.Ready]: [S.Deploying, S.Degraded, S.Stopping, S.Stopped],
  [S.Degraded]: [S.Deploying, S.Ready, S.Stopping, S.Stopped],
  [S.Failed]: [S.Deploying, S.Ready, S.Degraded, S.Stopping, S.Stopped],
  [S.Stopping]: [],
  [S.Stopped]: [S.Deploying, S.Ready, S.Degraded, S.Stopping],
};

/** The statuses a service may move to `to` from. */
export function statusesLeadingTo(to: ServiceStatus): ServiceStatus[] {
  return SERVICE_STATUSES.filter((from) => SERVICE_TRANSITIONS[from].includes(to));
}
