// Every entity and migration of the application, collected from the modules that own
// them. A module adds its tables here, so the app, the migration command and the schema
// tests all see one list; infra receives it and never imports a module.
import type { DatabaseSchema, EntityClass, MigrationClass } from './infra/database/database-schema';
import { AuditEntry } from './modules/audit/audit-entry.entity';
import { CreateAuditLog1795382384097 } from './modules/audit/migrations/1795382384097-create-audit-log';
import { ApiToken } from './modules/auth/api-tokens/api-token.entity';
import { CreateAuthTables1795382384096 } from './modules/auth/migrations/1795382384096-create-auth-tables';
import { RefreshToken } from './modules/auth/sessions/refresh-token.entity';
import { Session } from './modules/auth/sessions/session.entity';
import { User } from './modules/auth/users/user.entity';
import { CreateSchedules1795500000000 } from './modules/schedules/migrations/1795500000000-create-schedules';
import { ScheduleFire } from './modules/schedules/schedule-fire.entity';
import { Schedule } from './modules/schedules/schedule.entity';
import { CreateSweeps1795500000100 } from './modules/sweeps/migrations/1795500000100-create-sweeps';
import { SweepTrial } from './modules/sweeps/sweep-trial.entity';
import { Sweep } from './modules/sweeps/sweep.entity';
import { CreateServices1795500000300 } from './modules/services/persistence/migrations/1795500000300-create-services';
import { AddServiceEventScale1795600000300 } from './modules/services/persistence/migrations/1795600000300-add-service-event-scale';
import { AddServiceInvokeRetry1795600000410 } from './modules/services/persistence/migrations/1795600000410-add-service-invoke-retry';
import { ServiceEvent } from './modules/services/persistence/service-event.entity';
import { ServiceRevision } from './modules/services/persistence/service-revision.entity';
import { Service } from './modules/services/persistence/service.entity';
import { TaskAttempt } from './modules/tasks/persistence/entities/task-attempt.entity';
import { TaskDependency } from './modules/tasks/persistence/entities/task-dependency.entity';
import { TaskEvent } from './modules/tasks/persistence/entities/task-event.entity';
import { TaskLabel } from './modules/tasks/persistence/entities/task-label.entity';
import { Task } from './modules/tasks/persistence/entities/task.entity';
import { UserQuota } from './modules/tasks/persistence/entities/user-quota.entity';
import { CreateTasks1795400000000 } from './modules/tasks/persistence/migrations/1795400000000-create-tasks';
import { CreateTaskDependencies1795400000200 } from './modules/tasks/persistence/migrations/1795400000200-create-task-dependencies';
import { AddTaskForeignKeys1795400000300 } from './modules/tasks/persistence/migrations/1795400000300-add-task-foreign-keys';
import { CreateTaskMetrics1795400000100 } from './modules/tasks/training-metrics/migrations/1795400000100-create-task-metrics';
import { CreateTaskQueues1795400000400 } from './modules/tasks/queues/migrations/1795400000400-create-task-queues';
import { TaskQueueRow } from './modules/tasks/queues/task-queue.entity';
import { KilnProcessRow } from './modules/system/kiln-process.entity';
import { CreateKilnProcesses1795600000000 } from './modules/system/migrations/1795600000000-create-kiln-processes';
import { CreateWebhooks1795500000200 } from './modules/webhooks/migrations/1795500000200-create-webhooks';
import { AddWebhookDeliveryNextAttempt1795600000100 } from './modules/webhooks/migrations/1795600000100-add-webhook-delivery-next-attempt';
import { AddWebhookEvents1795600000200 } from './modules/webhooks/migrations/1795600000200-add-webhook-events';
import { WebhookAttempt } from './modules/webhooks/webhook-attempt.entity';
import { WebhookDelivery } from './modules/webhooks/webhook-delivery.entity';
import { WebhookOutboxPosition } from './modules/webhooks/webhook-outbox-position.entity';
import { Webhook } from './modules/webhooks/webhook.entity';
import { TaskMetricPoint } from './modules/tasks/training-metrics/task-metric-point.entity';

export const ENTITIES: EntityClass[] = [
  User,
  Session,
  RefreshToken,
  ApiToken,
  AuditEntry,
  Task,
  TaskLabel,
  TaskAttempt,
  TaskEvent,
  UserQuota,
  TaskMetricPoint,
  TaskDependency,
  Schedule,
  ScheduleFire,
  Sweep,
  SweepTrial,
  TaskQueueRow,
  Webhook,
  WebhookDelivery,
  WebhookAttempt,
  WebhookOutboxPosition,
  KilnProcessRow,
  Service,
  ServiceRevision,
  ServiceEvent,
];

/**
 * Each keeps the class name, `name` and timestamp it shipped with, wherever its file
 * lives, so a database migrated by an older build finds nothing new to run.
 */
export const MIGRATIONS: MigrationClass[] = [
  CreateAuthTables1795382384096,
  CreateAuditLog1795382384097,
  CreateTasks1795400000000,
  CreateTaskMetrics1795400000100,
  CreateTaskDependencies1795400000200,
  AddTaskForeignKeys1795400000300,
  CreateTaskQueues1795400000400,
  CreateSchedules1795500000000,
  CreateSweeps1795500000100,
  CreateWebhooks1795500000200,
  CreateServices1795500000300,
  CreateKilnProcesses1795600000000,
  AddWebhookDeliveryNextAttempt1795600000100,
  AddWebhookEvents1795600000200,
  AddServiceEventScale1795600000300,
  AddServiceInvokeRetry1795600000410,
];

export const SCHEMA: DatabaseSchema = { entities: ENTITIES, migrations: MIGRATIONS };
