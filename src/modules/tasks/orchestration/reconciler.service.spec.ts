// A run its runtime reports ended is settled at once (not at the leader's next pass), on
// a real (in-memory) SQLite database with a runtime that answers inspect from a table.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { KilnConfig } from '../../../config/kiln.config';
import type { TaskQueueConfig } from '../../../config/sections/tasks.config';
import { DatabaseDialect } from '../../../infra/database/dialect';
import type { LeaderLock } from '../../../infra/lock/leader-lock.port';
import { SCHEMA } from '../../../schema';
import type { RunStatus, RuntimeRegistry } from '../../runtimes';
import { RunOutcomes } from '../lifecycle/run-outcomes.service';
import { TaskLifecycle } from '../lifecycle/task-lifecycle';
import { TaskStatus } from '../lifecycle/task-status';
import { TaskAttempt } from '../persistence/entities/task-attempt.entity';
import { TaskDependency } from '../persistence/entities/task-dependency.entity';
import { TaskEvent } from '../persistence/entities/task-event.entity';
import { Task } from '../persistence/entities/task.entity';
import { TaskAttemptRepository } from '../persistence/task-attempt.repository';
import { TaskDependencyRepository } from '../persistence/task-dependency.repository';
import { TaskEventRepository } from '../persistence/task-event.repository';
import { TaskRepository } from '../persistence/task.repository';
import type { Dispatcher } from './dispatcher.service';
import { Reconciler } from './reconciler.service';

const QUEUE = { name: 'default', runtime: 'local' } as TaskQueueConfig;
const OWNER = randomUUID();
const CONFIG = {
  tasks: { stopGraceMs: 10, launchGraceSeconds: 60, requeueAfterSeconds: 60, maxLostRetries: 3 },
} as unknown as KilnConfig;

describe('settling a run its runtime reports ended', () => {
  let dataSource: DataSource;
  let tasks: TaskRepository;
  let attempts: TaskAttemptRepository;
  let lifecycle: TaskLifecycle;
  let reconciler: Reconciler;
  const runStatus = new Map<string, RunStatus>();

  beforeEach(async () => {
    dataSource = new DataSource({
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
    tasks = new TaskRepository(
      dataSource,
      dataSource.getRepository(Task),
      new DatabaseDialect('sqlite'),
      events,
      dependencies,
    );
    attempts = new TaskAttemptRepository(dataSource.getRepository(TaskAttempt));
    lifecycle = new TaskLifecycle(tasks, attempts, events);
    const runtime = {
      inspect: (handle: { id: string }) =>
        Promise.resolve(runStatus.get(handle.id) ?? { state: 'running' }),
      stop: () => Promise.resolve(),
    };
    reconciler = new Reconciler(
      CONFIG,
      tasks,
      attempts,
      { isLeader: false } as LeaderLock,
      { get: () => runtime } as unknown as RuntimeRegistry,
      new RunOutcomes(CONFIG, lifecycle),
      lifecycle,
      { wake: () => undefined } as unknown as Dispatcher,
    );
  });

  afterEach(async () => {
    runStatus.clear();
    await dataSource.destroy();
  });

  async function runningTask(): Promise<Task> {
    const task = newTask();
    await tasks.insert(task, { actor: OWNER, reason: 'submitted' });
    await lifecycle.queue(task, QUEUE);
    const started = await lifecycle.start(task.id, 1, 'token-hash', () => 'local');
    await attempts.recordHandle(task.id, 1, { id: `run-${task.id}`, executor: 'local' });
    return started!.task;
  }

  function statusEvents(taskId: string) {
    return dataSource.getRepository(TaskEvent).find({ where: { taskId }, order: { id: 'ASC' } });
  }

  it('ends the task with its outcome on any process, not only the leader', async () => {
    const task = await runningTask();
    runStatus.set(`run-${task.id}`, { state: 'succeeded', exitCode: 0 });

    expect(await reconciler.reconcileEnded({ taskId: task.id, attempt: 1 })).toBe(true);
    expect(await tasks.findById(task.id)).toMatchObject({ status: TaskStatus.Succeeded });
  });

  it('records one end, with one event, when the report and a reconcile race', async () => {
    const task = await runningTask();
    runStatus.set(`run-${task.id}`, { state: 'succeeded', exitCode: 0 });

    const settled = await Promise.all([
      reconciler.reconcileEnded({ taskId: task.id, attempt: 1 }),
      reconciler.reconcileEnded({ taskId: task.id, attempt: 1 }),
    ]);
    expect(settled.filter(Boolean)).toHaveLength(1);
    const ends = (await statusEvents(task.id)).filter((e) => e.toStatus === TaskStatus.Succeeded);
    expect(ends).toHaveLength(1);
  });

  it('leaves a task alone when the report is about an older attempt', async () => {
    const task = await runningTask();
    runStatus.set(`run-${task.id}`, { state: 'failed', reason: 'exit 1', exitCode: 1 });

    expect(await reconciler.reconcileEnded({ taskId: task.id, attempt: 0 })).toBe(false);
    expect(await tasks.findById(task.id)).toMatchObject({ status: TaskStatus.Running });
  });

  it('leaves a run that is still running to the reconciler', async () => {
    const task = await runningTask();

    expect(await reconciler.reconcileEnded({ taskId: task.id, attempt: 1 })).toBe(false);
    expect(await tasks.findById(task.id)).toMatchObject({ status: TaskStatus.Running });
  });
});

function newTask(): Task {
  const now = new Date();
  return Object.assign(new Task(), {
    id: randomUUID(),
    ownerId: OWNER,
    name: 'train',
    description: null,
    labels: {},
    queue: QUEUE.name,
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
    retryBackoffSeconds: 10,
    timeoutSeconds: null,
    noRetryExitCodes: [],
    dependsOn: [],
    status: TaskStatus.Pending,
    progressPermille: 0,
    attempt: 0,
    retriesUsed: 0,
    lostCount: 0,
    exitCode: null,
    failureReason: null,
    notBefore: null,
    version: 1,
    idempotencyKey: null,
    idempotencyFingerprint: null,
    createdAt: now,
    updatedAt: now,
    queuedAt: null,
    startedAt: null,
    finishedAt: null,
  });
}
