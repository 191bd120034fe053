import { TaskAttempt } from '../persistence/entities/task-attempt.entity';
import { TaskEvent } from '../persistence/entities/task-event.entity';
import { Task } from '../persistence/entities/task.entity';
import { TaskSpec } from '../task-spec';
import {
  TaskAttemptResponse,
  FeedEventResponse,
  TaskEventResponse,
  TaskResponse,
  WaitingResponse,
} from './dto/task.response';

/** What stands in for env values the caller may not read. */
export const HIDDEN_VALUE = '[hidden]';

/**
 * The API view of a task. `showEnv` false keeps env names but hides their values, which
 * often hold credentials (see OwnershipPolicy.canSeeSecrets).
 */
export function toTaskResponse(
  task: Task,
  showEnv: boolean,
  waiting?: WaitingResponse,
): TaskResponse {
  // typed so that a spec field the response does not declare fails to compile
  const spec: Pick<TaskResponse, keyof TaskSpec> = TaskSpec.ofTask(task);
  return {
    id: task.id,
    ownerId: task.ownerId,
    ...spec,
    env: showEnv ? spec.env : hideValues(spec.env),
    status: task.status,
    progress: task.progressPermille / 1000,
    attempt: task.attempt,
    retriesUsed: task.retriesUsed,
    exitCode: task.exitCode,
    failureReason: task.failureReason,
    notBefore: task.notBefore,
    version: task.version,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    queuedAt: task.queuedAt,
    startedAt: task.startedAt,
    finishedAt: task.finishedAt,
    ...(waiting ? { waiting } : {}),
  };
}

export function toAttemptResponse(attempt: TaskAttempt): TaskAttemptResponse {
  return {
    number: attempt.number,
    executor: attempt.executor,
    status: attempt.status,
    queuedAt: attempt.queuedAt,
    startedAt: attempt.startedAt,
    finishedAt: attempt.finishedAt,
    exitCode: attempt.exitCode,
    reason: attempt.reason,
  };
}

export function toEventResponse(event: TaskEvent): TaskEventResponse {
  return {
    id: event.id,
    kind: event.kind,
    from: event.fromStatus,
    to: event.toStatus,
    attempt: event.attempt,
    progress: event.progressPermille === null ? null : event.progressPermille / 1000,
    actor: event.actor,
    reason: event.reason,
    occurredAt: event.occurredAt,
  };
}

export function toFeedEventResponse(event: TaskEvent): FeedEventResponse {
  return { taskId: event.taskId, ownerId: event.ownerId, ...toEventResponse(event) };
}

export function etagOf(task: Task): string {
  return `W/"${task.version}"`;
}

function hideValues(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(env).map((name) => [name, HIDDEN_VALUE]));
}
