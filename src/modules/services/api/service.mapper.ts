// Services and revisions as the API shows them; env values stay hidden from callers who
// may read the service but not its secrets.
import type { ReplicaStatus } from '../../runtimes';
import type { ServiceEvent } from '../persistence/service-event.entity';
import type { ServiceRevision } from '../persistence/service-revision.entity';
import type { Service } from '../persistence/service.entity';
import type {
  ReplicaResponse,
  ServiceEventResponse,
  ServiceResponse,
  ServiceRevisionResponse,
} from './dto/service.response';

export const HIDDEN = '[hidden]';

export function toRevisionResponse(
  revision: ServiceRevision,
  showSecrets: boolean,
): ServiceRevisionResponse {
  return {
    number: revision.number,
    model: revision.model && {
      taskId: revision.model.taskId,
      attempt: revision.model.attempt,
      path: revision.model.path,
    },
    command: revision.command,
    image: revision.image,
    env: showSecrets
      ? revision.env
      : Object.fromEntries(Object.keys(revision.env).map((key) => [key, HIDDEN])),
    resources: {
      cpu: revision.cpuMillis / 1000,
      memoryMiB: revision.memoryMiB,
      gpu: revision.gpu,
    },
    port: revision.port,
    healthPath: revision.healthPath,
    createdBy: revision.createdBy,
    cause: revision.cause,
    createdAt: revision.createdAt,
  };
}

export function toServiceResponse(
  service: Service,
  target: ServiceRevision,
  showSecrets: boolean,
): ServiceResponse {
  return {
    id: service.id,
    name: service.name,
    description: service.description,
    ownerId: service.ownerId,
    labels: service.labels,
    queue: service.queue,
    runtime: service.runtime,
    status: service.status,
    reason: service.reason,
    replicas: {
      desired: service.desiredReplicas,
      ready: service.readyReplicas,
      updated: service.updatedReplicas,
    },
    revision: service.targetRevision,
    servingRevision: service.servingRevision,
    rollout: {
      revision: service.targetRevision,
      state: service.rolloutState,
      startedAt: service.rolloutStartedAt,
      deadline: rolloutDeadline(service),
    },
    spec: toRevisionResponse(target, showSecrets),
    rolloutTimeoutSeconds: service.rolloutTimeoutSeconds,
    invokeTimeoutSeconds: service.invokeTimeoutSeconds,
    invokeRetry: service.invokeRetry,
    endpoint: `/api/v1/services/${service.name}/invoke/`,
    version: service.version,
    createdAt: service.createdAt,
    updatedAt: service.updatedAt,
  };
}

export function rolloutDeadline(service: Service): Date {
  return new Date(service.rolloutStartedAt.getTime() + service.rolloutTimeoutSeconds * 1000);
}

export function toReplicaResponse(replica: ReplicaStatus): ReplicaResponse {
  return {
    name: replica.name,
    revision: replica.revision,
    state: replica.state,
    restarts: replica.restarts,
    reason: replica.reason ?? null,
    startedAt: replica.startedAt ?? null,
  };
}

export function toEventResponse(event: ServiceEvent): ServiceEventResponse {
  return {
    id: Number(event.id),
    kind: event.kind,
    replicas: event.replicas,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    revision: event.revision,
    actor: event.actor,
    reason: event.reason,
    occurredAt: event.occurredAt,
  };
}
