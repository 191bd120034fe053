// The tasks module's public surface: other modules import only what is exported here.
// Tasks are submitted and read through TasksService; entities stay private.
export { CreateTaskDto } from './api/dto/create-task.dto';
export { TasksService } from './api/tasks.service';
export { TASKS_RETENTION_SUBJECT } from './retention/finished-task-retention';
export { isFinal, TaskStatus } from './lifecycle/task-status';
export { TaskSpec } from './task-spec';
export { TasksModule } from './tasks.module';
export { QueueAdministration } from './queues/queue-administration.service';
export type {
  Changed,
  QueueChanges,
  QueueDefinition,
  QueueView,
} from './queues/queue-administration.service';
export type { TaskQueue } from './queues/task-queue';
export { QuotaAdministration } from './quotas/quota-administration.service';
export type { QuotaOverrides, UserQuotaView } from './quotas/quota-administration.service';
export type { QuotaUsage } from './quotas/quota-usage.repository';
export { ReplicaUsagePort } from './quotas/replica-usage-port';
export type { HeldReplicas, ReplicaUsageSource } from './quotas/replica-usage-port';
export { ReplicaQuotaGate } from './quotas/replica-quota-gate';
export { QuotaExceededError } from './tasks.errors';
export type { UserLimits } from './orchestration/capacity.service';
export { TaskEventLog } from './events/task-event-log';
export type { TaskStatusRecord } from './events/task-event-log';
export { ServiceEventPort } from './events/service-event-port';
export type {
  ServiceEventSource,
  ServiceFeedKind,
  ServiceFeedRecord,
} from './events/service-event-port';
export { TaskLifecycle } from './lifecycle/task-lifecycle';
export { TASK_STATUSES } from './lifecycle/task-status';
export { LAUNCH_JOB_QUEUE } from './orchestration/launch-order';
export { TaskNotSucceededError, TrainedModels } from './artifacts/trained-models';
export type { TrainedModel } from './artifacts/trained-models';
