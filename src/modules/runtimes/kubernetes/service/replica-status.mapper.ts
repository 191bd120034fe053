// How a service's Deployment and pods, as the API server reports them, read as the
// ServiceRuntime port's replica states and endpoints: pure, so every way a pod can be
// is tested without a cluster.
import type { V1ContainerStatus, V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { ReplicaStatus, ServiceEndpoint, ServiceStatus } from '../../service-runtime.port';
import { SERVICE_CONTAINER } from './service-objects.builder';
import { LABEL_SERVICE_REVISION } from './service-identity';

/** Waiting reasons that mean the replica will not come up without someone acting. */
const STUCK_REASONS = new Set([
  'CrashLoopBackOff',
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

export function toServiceStatus(deployment: V1Deployment, pods: V1Pod[]): ServiceStatus {
  const replicas = pods.map(toReplicaStatus).sort(byStartThenName);
  return {
    state: 'deployed',
    desiredReplicas: deployment.spec?.replicas ?? 0,
    readyReplicas: replicas.filter((replica) => replica.state === 'ready').length,
    replicas,
  };
}

export function toReplicaStatus(pod: V1Pod): ReplicaStatus {
  const container = containerOf(pod);
  const startedAt = pod.status?.startTime ? new Date(pod.status.startTime) : undefined;
  const reason = reasonOf(pod, container);
  return {
    name: pod.metadata?.name ?? '',
    revision: Number(pod.metadata?.labels?.[LABEL_SERVICE_REVISION] ?? 0),
    state: stateOf(pod, container),
    restarts: container?.restartCount ?? 0,
    ...(reason ? { reason } : {}),
    ...(startedAt ? { startedAt } : {}),
  };
}

/** Ready pods that are not going away, at their own address: Kiln spreads calls itself. */
export function toEndpoints(pods: V1Pod[], port: number): ServiceEndpoint[] {
  return pods
    .filter((pod) => isReady(pod) && !pod.metadata?.deletionTimestamp && pod.status?.podIP)
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
    .map((pod) => ({ replica: pod.metadata?.name ?? '', url: urlOf(pod.status!.podIP!, port) }));
}

/** The port the service's container listens on, from the pod template. */
export function servicePortOf(deployment: V1Deployment): number | undefined {
  const container = deployment.spec?.template.spec?.containers.find(
    (candidate) => candidate.name === SERVICE_CONTAINER,
  );
  return container?.ports?.[0]?.containerPort;
}

function stateOf(pod: V1Pod, container?: V1ContainerStatus): ReplicaStatus['state'] {
  if (pod.metadata?.deletionTimestamp) return 'stopping';
  if (isReady(pod)) return 'ready';
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return 'unhealthy';
  const waiting = container?.state?.waiting?.reason;
  if (waiting && STUCK_REASONS.has(waiting)) return 'unhealthy';
  // Restarted and not ready: it keeps exiting or failed its liveness probe.
  if ((container?.restartCount ?? 0) > 0) return 'unhealthy';
  return 'starting';
}

function reasonOf(pod: V1Pod, container?: V1ContainerStatus): string | undefined {
  if (pod.status?.reason) return joined(pod.status.reason, pod.status.message);
  const waiting = container?.state?.waiting;
  const lastExit = container?.lastState?.terminated;
  const exit = lastExit
    ? `last exit code ${lastExit.exitCode}${lastExit.reason ? ` (${lastExit.reason})` : ''}`
    : undefined;
  if (waiting?.reason && waiting.reason !== 'ContainerCreating') {
    return [joined(waiting.reason, waiting.message), exit].filter(Boolean).join('; ');
  }
  if (exit && !isReady(pod)) return exit;
  const unscheduled = pod.status?.conditions?.find(
    (condition) => condition.type === 'PodScheduled' && condition.status === 'False',
  );
  if (unscheduled) return joined(unscheduled.reason ?? 'Unschedulable', unscheduled.message);
  return undefined;
}

function isReady(pod: V1Pod): boolean {
  return (
    pod.status?.conditions?.some(
      (condition) => condition.type === 'Ready' && condition.status === 'True',
    ) ?? false
  );
}

function containerOf(pod: V1Pod): V1ContainerStatus | undefined {
  return pod.status?.containerStatuses?.find((status) => status.name === SERVICE_CONTAINER);
}

function joined(reason: string, message?: string): string {
  return message ? `${reason}: ${message}` : reason;
}

/** IPv6 pod addresses need brackets in a URL. */
function urlOf(ip: string, port: number): string {
  return ip.includes(':') ? `http://[${ip}]:${port}` : `http://${ip}:${port}`;
}

function byStartThenName(a: ReplicaStatus, b: ReplicaStatus): number {
  const byStart = (a.startedAt?.getTime() ?? Infinity) - (b.startedAt?.getTime() ?? Infinity);
  return byStart !== 0 ? byStart : a.name.localeCompare(b.name);
}
