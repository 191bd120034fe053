// Once a run has started, nothing that fails afterwards may end its attempt: a retry
// would run beside it. On a real (in-memory) SQLite database, with a runtime that counts
// its launches and a database that fails to record the handle.
import { randomUUID } from 'node:crypto';
import type { KilnConfig } from '../../../config/kiln.config';
import type { TaskQueueConfig } from '../../../config/sections/tasks.config';
import type { JobQueues, Job } from '../../../infra/jobs/job-queue.port';
import type { RunHandle, RunSpec, RuntimeRegistry } from '../../runtimes';
import { RunOutcomes } from '../lifecycle/run-outcomes.service';
import { TaskStatus } from '../lifecycle/task-status';
import type { Task } from '../persistence/entities/task.entity';
import type { RunSpecFactory } from '../runs/run-spec.factory';
import type { CapacityService } from './capacity.service';
import type { Dispatcher } from './dispatcher.service';
import { LaunchWorker } from './launch.worker';
import type { LaunchOrder } from './launch-order';
import { Reconciler } from './reconciler.service';
import { MemoryLeaderLock } from '../../../infra/lock/drivers/memory-leader-lock';
import { pendingTaskRow } from '../../../../test/support/task-row';
import { openTaskStore, TaskStore } from '../../../../test/support/task-store';

const QUEUE = { name: 'default', runtime: 'local' } as TaskQueueConfig;
const OWNER = randomUUID();
const CONFIG = {
  tasks: { stopGraceMs: 10, launchGraceSeconds: 60, requeueAfterSeconds: 60, maxLostRetries: 3 },
} as unknown as KilnConfig;

describe('launching a run', () => {
  let store: TaskStore;
  let worker: LaunchWorker;
  let launches: RunSpec[];
  let stops: string[];
  let recordFailures: Error[];
  const runtime = {
    launch: (spec: RunSpec): Promise<RunHandle> => {
      launches.push(spec);
      return Promise.resolve({ id: `run-${spec.taskId}-${spec.attempt}`, executor: 'local' });
    },
    find: ({ taskId, attempt }: { taskId: string; attempt: number }) =>
      Promise.resolve(
        launches.some((spec) => spec.taskId === taskId && spec.attempt === attempt)
          ? { id: `run-${taskId}-${attempt}`, executor: 'local' }
          : undefined,
      ),
    inspect: () => Promise.resolve({ state: 'succeeded', exitCode: 0 } as const),
    stop: (handle: RunHandle) => {
      stops.push(handle.id);
      return Promise.resolve();
    },
  };
  const executors = { get: () => runtime } as unknown as RuntimeRegistry;

  beforeEach(async () => {
    store = await openTaskStore();
    launches = [];
    stops = [];
    recordFailures = [];
    const attempts = store.attempts;
    const recordHandle = attempts.recordHandle.bind(attempts);
    attempts.recordHandle = (...args) => {
      const failure = recordFailures.shift();
      return failure ? Promise.reject(failure) : recordHandle(...args);
    };
    worker = new LaunchWorker(
      CONFIG,
      {} as JobQueues,
      store.tasks,
      attempts,
      executors,
      store.lifecycle,
      {
        build: (task: Task, attempt: number) => ({ taskId: task.id, attempt }),
      } as unknown as RunSpecFactory,
      new RunOutcomes(CONFIG, store.lifecycle),
      { queues: new Map() } as unknown as CapacityService,
    );
  });

  afterEach(() => store.close());

  async function queuedTask(): Promise<Task> {
    const task = pendingTaskRow({ ownerId: OWNER, name: 'train', retryBackoffSeconds: 10 });
    await store.tasks.insert(task, { actor: OWNER, reason: 'submitted' });
    await store.lifecycle.queue(task, QUEUE);
    return task;
  }

  function launchOrder(task: Task): Job<LaunchOrder> {
    return { data: { taskId: task.id, attempt: 1 } } as Job<LaunchOrder>;
  }

  it('records the handle after a database blip, keeping the attempt it started', async () => {
    const task = await queuedTask();
    recordFailures.push(connectionTerminated());

    await worker.launch(launchOrder(task));

    expect(launches).toHaveLength(1);
    expect(await store.tasks.findById(task.id)).toMatchObject({
      status: TaskStatus.Running,
      attempt: 1,
    });
    expect((await store.attempts.one(task.id, 1))?.handle).toMatchObject({
      id: `run-${task.id}-1`,
    });
  });

  it('leaves a run whose handle cannot be recorded running, for the reconciler to adopt and settle once', async () => {
    const task = await queuedTask();
    recordFailures.push(new Error('disk I/O error'));

    await worker.launch(launchOrder(task));

    expect(await store.tasks.findById(task.id)).toMatchObject({
      status: TaskStatus.Running,
      attempt: 1,
    });
    expect(stops).toEqual([]);
    const lock = new MemoryLeaderLock();
    const reconciler = new Reconciler(
      CONFIG,
      store.tasks,
      store.attempts,
      lock,
      executors,
      new RunOutcomes(CONFIG, store.lifecycle),
      store.lifecycle,
      { wake: () => undefined } as unknown as Dispatcher,
    );
    await reconciler.reconcileEnded({ taskId: task.id, attempt: 1 });
    await lock.stop();
    expect(await store.tasks.findById(task.id)).toMatchObject({
      status: TaskStatus.Succeeded,
      attempt: 1,
    });
    expect(launches).toHaveLength(1);
  });
});

/** What node-postgres throws when PostgreSQL ends the connection mid-query. */
function connectionTerminated(): Error {
  return new Error('Connection terminated unexpectedly');
}
