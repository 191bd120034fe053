import { ApiProperty } from '@nestjs/swagger';
import { AttemptStatus } from '../../lifecycle/attempt-status';
import { TASK_EVENT_KINDS, TaskEventKind } from '../../persistence/entities/task-event.entity';
import { TASK_STATUSES, TaskStatus } from '../../lifecycle/task-status';

export class ResourcesResponse {
  cpu: number;
  @ApiProperty({ type: 'integer' })
  memoryMiB: number;
  @ApiProperty({ type: 'integer' })
  gpu: number;
}

/** Why a pending task has not started yet. */
export class WaitingResponse {
  /** 1 = next in its queue. */
  @ApiProperty({ type: 'integer' })
  position: number;
  /** e.g. `retry backoff until …`, `queue default is at capacity (4 of 4 running)`. */
  reasons: string[];
}

export class TaskResponse {
  id: string;
  name: string;
  description: string | null;
  labels: Record<string, string>;
  ownerId: string;
  queue: string;
  @ApiProperty({ type: 'integer' })
  priority: number;
  command: string[];
  shell: boolean;
  image: string | null;
  workingDir: string | null;
  /** Values are `[hidden]` unless the caller owns the task or is an admin. */
  env: Record<string, string>;
  hyperparameters: Record<string, unknown>;
  resources: ResourcesResponse;
  @ApiProperty({ type: 'integer' })
  maxRetries: number;
  @ApiProperty({ type: 'integer' })
  retryBackoffSeconds: number;
  @ApiProperty({ type: 'integer', nullable: true })
  timeoutSeconds: number | null;
  @ApiProperty({ type: 'integer', isArray: true })
  noRetryExitCodes: number[];
  /** Tasks that must succeed before this one starts. */
  dependsOn: string[];
  status: TaskStatus;
  /** 0..1 as the run last reported it. */
  progress: number;
  /** Number of the latest attempt; 0 before the first launch. */
  @ApiProperty({ type: 'integer' })
  attempt: number;
  @ApiProperty({ type: 'integer' })
  retriesUsed: number;
  @ApiProperty({ type: 'integer', nullable: true })
  exitCode: number | null;
  failureReason: string | null;
  notBefore: Date | null;
  /** Changes with every update; send it back in If-Match. */
  @ApiProperty({ type: 'integer' })
  version: number;
  createdAt: Date;
  updatedAt: Date;
  queuedAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Present while the task is pending. */
  waiting?: WaitingResponse;
}

export class TaskPageResponse {
  items: TaskResponse[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export class TaskAttemptResponse {
  @ApiProperty({ type: 'integer' })
  number: number;
  executor: string;
  @ApiProperty({ enum: AttemptStatus })
  status: AttemptStatus;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  @ApiProperty({ type: 'integer', nullable: true })
  exitCode: number | null;
  reason: string | null;
}

export class TaskEventResponse {
  @ApiProperty({ type: 'integer' })
  id: number;
  @ApiProperty({ enum: TASK_EVENT_KINDS })
  kind: TaskEventKind;
  @ApiProperty({ enum: [...TASK_STATUSES, null], nullable: true })
  from: TaskStatus | null;
  to: TaskStatus;
  @ApiProperty({ type: 'integer', nullable: true })
  attempt: number | null;
  progress: number | null;
  actor: string;
  reason: string | null;
  occurredAt: Date;
}

/** An event on the live feed (`GET /api/v1/events`): the task event and whose task it is. */
export class FeedEventResponse extends TaskEventResponse {
  @ApiProperty({ format: 'uuid' })
  taskId: string;
  @ApiProperty({ format: 'uuid' })
  ownerId: string;
}
