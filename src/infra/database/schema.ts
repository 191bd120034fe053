// Every entity and migration of the application. A module adds its tables here, so
// the app, the migration command and the schema tests all see one list.
import type { MigrationInterface } from 'typeorm';
import { AuditEntry } from '../../modules/audit/audit-entry.entity';
import { ApiToken } from '../../modules/auth/api-tokens/api-token.entity';
import { RefreshToken } from '../../modules/auth/sessions/refresh-token.entity';
import { Session } from '../../modules/auth/sessions/session.entity';
import { User } from '../../modules/auth/users/user.entity';
import { CreateAuthTables1795382384096 } from './migrations/1795382384096-create-auth-tables';
import { CreateAuditLog1795382384097 } from './migrations/1795382384097-create-audit-log';
import { CreateTasks1795400000000 } from './migrations/1795400000000-create-tasks';
import { CreateTaskDependencies1795400000200 } from './migrations/1795400000200-create-task-dependencies';
import { CreateTaskMetrics1795400000100 } from './migrations/1795400000100-create-task-metrics';
import { AddTaskForeignKeys1795400000300 } from '../../modules/tasks/persistence/migrations/1795400000300-add-task-foreign-keys';
import { TaskAttempt } from '../../modules/tasks/persistence/entities/task-attempt.entity';
import { TaskDependency } from '../../modules/tasks/persistence/entities/task-dependency.entity';
import { TaskEvent } from '../../modules/tasks/persistence/entities/task-event.entity';
import { TaskLabel } from '../../modules/tasks/persistence/entities/task-label.entity';
import { Task } from '../../modules/tasks/persistence/entities/task.entity';
import { UserQuota } from '../../modules/tasks/persistence/entities/user-quota.entity';
import { TaskMetricPoint } from '../../modules/tasks/training-metrics/task-metric-point.entity';

type EntityClass = new (...args: never[]) => object;
type MigrationClass = new () => MigrationInterface;

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
];

export const MIGRATIONS: MigrationClass[] = [
  CreateAuthTables1795382384096,
  CreateAuditLog1795382384097,
  CreateTasks1795400000000,
  CreateTaskMetrics1795400000100,
  CreateTaskDependencies1795400000200,
  AddTaskForeignKeys1795400000300,
];
