// The tasks module's persistence and lifecycle on a fresh in-memory SQLite database, for
// unit tests of one service that want the real SQL without an application around it.
import { DataSource } from 'typeorm';
import type { KilnConfig } from '../../src/config/kiln.config';
import type { TaskQueueConfig } from '../../src/config/sections/tasks.config';
import { DatabaseDialect } from '../../src/infra/database/dialect';
import { SCHEMA } from '../../src/schema';
import { TaskLifecycle } from '../../src/modules/tasks/lifecycle/task-lifecycle';
import { TaskAttempt } from '../../src/modules/tasks/persistence/entities/task-attempt.entity';
import { TaskDependency } from '../../src/modules/tasks/persistence/entities/task-dependency.entity';
import { TaskEvent } from '../../src/modules/tasks/persistence/entities/task-event.entity';
import { Task } from '../../src/modules/tasks/persistence/entities/task.entity';
import { TaskAttemptRepository } from '../../src/modules/tasks/persistence/task-attempt.repository';
import { TaskDependencyRepository } from '../../src/modules/tasks/persistence/task-dependency.repository';
import { TaskEventRepository } from '../../src/modules/tasks/persistence/task-event.repository';
import { TaskRepository } from '../../src/modules/tasks/persistence/task.repository';

/** A queue on the local runtime, for tasks the tests queue. */
export const LOCAL_QUEUE = { name: 'default', runtime: 'local' } as TaskQueueConfig;

/** The task settings the orchestration services read, with a short stop grace. */
export const TASKS_CONFIG = {
  tasks: { stopGraceMs: 10, launchGraceSeconds: 60, requeueAfterSeconds: 60, maxLostRetries: 3 },
} as unknown as KilnConfig;

export interface TaskStore {
  dataSource: DataSource;
  tasks: TaskRepository;
  attempts: TaskAttemptRepository;
  events: TaskEventRepository;
  dependencies: TaskDependencyRepository;
  lifecycle: TaskLifecycle;
  close(): Promise<void>;
}

export async function openTaskStore(): Promise<TaskStore> {
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    entities: SCHEMA.entities,
    synchronize: true,
  });
  await dataSource.initialize();
  const events = new TaskEventRepository(dataSource.getRepository(TaskEvent));
  const dependencies = new TaskDependencyRepository(
    dataSource.getRepository(Task),
    dataSource.getRepository(TaskDependency),
  );
  const tasks = new TaskRepository(
    dataSource,
    dataSource.getRepository(Task),
    new DatabaseDialect('sqlite'),
    events,
    dependencies,
  );
  const attempts = new TaskAttemptRepository(
    dataSource.getRepository(TaskAttempt),
    new DatabaseDialect('sqlite'),
  );
  return {
    dataSource,
    tasks,
    attempts,
    events,
    dependencies,
    lifecycle: new TaskLifecycle(tasks, attempts, events),
    close: () => dataSource.destroy(),
  };
}
