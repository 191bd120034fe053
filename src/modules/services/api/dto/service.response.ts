import { SERVICE_EVENT_KINDS, ServiceEventKind } from '../../persistence/service-event.entity';
import { ApiProperty } from '@nestjs/swagger';
import { SERVICE_STATUSES, ServiceStatus } from '../../lifecycle/service-status';

export const ROLLOUT_STATES = ['progressing', 'complete', 'failed'] as const;
export const REPLICA_STATES = ['starting', 'ready', 'unhealthy', 'stopping'] as const;

export class ServiceResourcesResponse {
  cpu: number;
  @ApiProperty({ type: 'integer' })
  memoryMiB: number;
  @ApiProperty({ type: 'integer' })
  gpu: number;
}

/** The model a revision serves, pinned to the attempt that produced it. */
export class PinnedModelResponse {
  taskId: string;
  @ApiProperty({ type: 'integer' })
  attempt: number;
  path: string;
}

export class ReplicaCountsResponse {
  @ApiProperty({ type: 'integer' })
  desired: number;
  /** Replicas of any revision answering their health check. */
  @ApiProperty({ type: 'integer' })
  ready: number;
  /** Ready replicas running the target revision. */
  @ApiProperty({ type: 'integer' })
  updated: number;
}

export class RolloutResponse {
  /** The revision being (or last) rolled out. */
  @ApiProperty({ type: 'integer' })
  revision: number;
  @ApiProperty({ enum: ROLLOUT_STATES })
  state: (typeof ROLLOUT_STATES)[number];
  startedAt: Date;
  /** When a progressing rollout fails if its replicas are not healthy by then. */
  deadline: Date;
}

export class ReplicaResponse {
  name: string;
  @ApiProperty({ type: 'integer' })
  revision: number;
  @ApiProperty({ enum: REPLICA_STATES })
  state: (typeof REPLICA_STATES)[number];
  @ApiProperty({ type: 'integer' })
  restarts: number;
  /** Why it is not ready (`restarting in 4s after exit code 1`). */
  reason: string | null;
  startedAt: Date | null;
}

export class ServiceRevisionResponse {
  @ApiProperty({ type: 'integer' })
  number: number;
  model: PinnedModelResponse | null;
  command: string[];
  image: string | null;
  /** Values are `[hidden]` unless the caller owns the service or is an admin. */
  env: Record<string, string>;
  resources: ServiceResourcesResponse;
  @ApiProperty({ type: 'integer' })
  port: number;
  healthPath: string;
  /** The user whose change made it. */
  createdBy: string;
  /** What made it: `created`, `updated`, `rollback to revision 2`. */
  cause: string | null;
  createdAt: Date;
}

export class ServiceResponse {
  id: string;
  name: string;
  description: string | null;
  ownerId: string;
  labels: Record<string, string>;
  queue: string;
  runtime: string;
  @ApiProperty({ type: 'string', enum: SERVICE_STATUSES })
  status: ServiceStatus;
  /** Why the service last changed status, or what holds it back. */
  reason: string | null;
  replicas: ReplicaCountsResponse;
  /** The revision the service should run. */
  @ApiProperty({ type: 'integer' })
  revision: number;
  /** The revision that last completed a rollout; null before the first did. */
  @ApiProperty({ type: 'integer', nullable: true })
  servingRevision: number | null;
  rollout: RolloutResponse;
  /** What the target revision runs. */
  spec: ServiceRevisionResponse;
  @ApiProperty({ type: 'integer' })
  rolloutTimeoutSeconds: number;
  @ApiProperty({ type: 'integer' })
  invokeTimeoutSeconds: number;
  /** An invocation whose connection broke before any answer goes once to another replica. */
  invokeRetry: boolean;
  /** Where to send requests: `/api/v1/services/{name}/invoke/`. */
  endpoint: string;
  /** Changes with every update; send it back in If-Match. */
  @ApiProperty({ type: 'integer' })
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Invocations that ended in each status class. */
export class InvocationStatusClassesResponse {
  @ApiProperty({ type: 'integer', name: '1xx' })
  '1xx': number;
  @ApiProperty({ type: 'integer', name: '2xx' })
  '2xx': number;
  @ApiProperty({ type: 'integer', name: '3xx' })
  '3xx': number;
  @ApiProperty({ type: 'integer', name: '4xx' })
  '4xx': number;
  /** Includes Kiln's own 502/503/504 when no replica answered. */
  @ApiProperty({ type: 'integer', name: '5xx' })
  '5xx': number;
}

/** Latency percentiles (ms) estimated from a fixed histogram, bounds 1 ms to 30 s. */
export interface InvocationLatencyResponse {
  p50: number;
  /** 30000 when the 99th percentile was slower than the histogram's last bound. */
  p99: number;
}

/** Invocations through Kiln's endpoint in a rolling window, across every Kiln replica. */
export class InvocationSummaryResponse {
  /** The window's length; it moves on in 10-second steps. */
  @ApiProperty({ type: 'integer' })
  windowSeconds: number;
  @ApiProperty({ type: 'integer' })
  total: number;
  byStatusClass: InvocationStatusClassesResponse;
  /** Invocations sent to a second replica after the first failed. */
  @ApiProperty({ type: 'integer' })
  retried: number;
  // Inline rather than a $ref: a nullable allOf would still reject null in validators.
  @ApiProperty({
    type: 'object',
    nullable: true,
    description:
      'Milliseconds until the answer ended, estimated from a fixed histogram (1 ms to 30 s; a p99 past it reads 30000); null when nothing was invoked in the window.',
    properties: { p50: { type: 'number' }, p99: { type: 'number' } },
    required: ['p50', 'p99'],
    selfRequired: true,
  })
  latencyMs: InvocationLatencyResponse | null;
  /** When the last invocation in the window ended. */
  lastAt: Date | null;
}

/** One service with what its runtime reports of each replica. */
export class ServiceDetailResponse extends ServiceResponse {
  /** Empty when the runtime could not be asked. */
  replicaList: ReplicaResponse[];
  /** Null when the statistics store (Redis) could not be read. */
  @ApiProperty({ type: InvocationSummaryResponse, nullable: true })
  invocations: InvocationSummaryResponse | null;
}

export class ServicePageResponse {
  items: ServiceResponse[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export class ServiceRevisionListResponse {
  items: ServiceRevisionResponse[];
}

export class ServiceEventResponse {
  @ApiProperty({ type: 'integer' })
  id: number;
  /** `status`: the status changed; `scale`: the wanted replicas changed, the status did not. */
  @ApiProperty({ enum: SERVICE_EVENT_KINDS })
  kind: ServiceEventKind;
  /** The replicas wanted from then on, for a `scale` event; null otherwise. */
  @ApiProperty({ type: 'integer', nullable: true })
  replicas: number | null;
  @ApiProperty({ type: 'string', enum: [...SERVICE_STATUSES, null], nullable: true })
  fromStatus: ServiceStatus | null;
  @ApiProperty({ type: 'string', enum: SERVICE_STATUSES })
  toStatus: ServiceStatus;
  @ApiProperty({ type: 'integer' })
  revision: number;
  actor: string;
  reason: string | null;
  occurredAt: Date;
}

export class ServiceEventListResponse {
  items: ServiceEventResponse[];
}
