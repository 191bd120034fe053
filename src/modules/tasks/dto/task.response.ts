import { TaskStatus } from '../task-status';

export class ResourcesResponse {
  cpu: number;
  memoryMiB: number;
  gpu: number;
}

/** Why a pending task has not started yet. */
export class WaitingResponse {
  /** 1 = next in its queue. */
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
  priority: number;
  command: string[];
  shell: boolean;
  image: string | null;
  workingDir: string | null;
  /** Values are `[hidden]` unless the caller owns the task or is an admin. */
  env: Record<string, string>;
  hyperparameters: Record<string, unknown>;
  resources: ResourcesResponse;
  maxRetries: number;
  retryBackoffSeconds: number;
  timeoutSeconds: number | null;
  noRetryExitCodes: number[];
  /** Tasks that must succeed before this one starts. */
  dependsOn: string[];
  status: TaskStatus;
  /** 0..1 as the run last reported it. */
  progress: number;
  /** Number of the latest attempt; 0 before the first launch. */
  attempt: number;
  retriesUsed: number;
  exitCode: number | null;
  failureReason: string | null;
  notBefore: Date | null;
  /** Changes with every update; send it back in If-Match. */
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
  number: number;
  executor: string;
  status: string;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  exitCode: number | null;
  reason: string | null;
}

export class TaskEventResponse {
  id: number;
  kind: string;
  from: TaskStatus | null;
  to: TaskStatus;
  attempt: number | null;
  progress: number | null;
  actor: string;
  reason: string | null;
  occurredAt: Date;
}
