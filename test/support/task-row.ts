// A complete tasks row written straight to the database, for tests of the tables about
// a task (which reference it) that have no use for the API or the dispatcher.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TaskStatus } from '../../src/modules/tasks/lifecycle/task-status';
import { Task } from '../../src/modules/tasks/persistence/entities/task.entity';

/** A complete Task entity, finished successfully unless `fields` say otherwise. */
export function taskRow(fields: Partial<Task> = {}): Task {
  const now = new Date();
  return Object.assign(new Task(), {
    id: randomUUID(),
    ownerId: randomUUID(),
    name: 'test',
    description: null,
    labels: {},
    queue: 'default',
    priority: 0,
    command: ['true'],
    shell: false,
    image: null,
    workingDir: null,
    env: {},
    hyperparameters: {},
    cpuMillis: 1000,
    memoryMiB: 512,
    gpu: 0,
    maxRetries: 0,
    retryBackoffSeconds: 0,
    timeoutSeconds: null,
    noRetryExitCodes: [],
    dependsOn: [],
    status: TaskStatus.Succeeded,
    progressPermille: 1000,
    attempt: 1,
    retriesUsed: 0,
    lostCount: 0,
    exitCode: 0,
    failureReason: null,
    notBefore: null,
    version: 1,
    idempotencyKey: null,
    idempotencyFingerprint: null,
    createdAt: now,
    updatedAt: now,
    queuedAt: now,
    startedAt: now,
    finishedAt: now,
    ...fields,
  });
}

/** A complete Task entity as a submit leaves it: pending, never attempted. */
export function pendingTaskRow(fields: Partial<Task> = {}): Task {
  return taskRow({
    status: TaskStatus.Pending,
    progressPermille: 0,
    attempt: 0,
    exitCode: null,
    queuedAt: null,
    startedAt: null,
    finishedAt: null,
    ...fields,
  });
}

export async function insertTaskRow(
  dataSource: DataSource,
  fields: Partial<Task> = {},
): Promise<Task> {
  const task = taskRow(fields);
  await dataSource.getRepository(Task).insert(task as QueryDeepPartialEntity<Task>);
  return task;
}
