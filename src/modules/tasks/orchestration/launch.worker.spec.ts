// Once a run has started, nothing that fails afterwards may end its attempt: a retry
// would run beside it. On a real (in-memory) SQLite database, with a runtime that counts
// its launches and a database that fails to record the handle.
import { randomUUID } from 'node:crypto';
import type { JobQueues, Job } from '../../../infra/jobs/job-queue.port';
import type { RunHandle, RunSpec, RuntimeRegistry } from '../../runtimes';
import { UnknownRuntimeError } from '../../runtimes/runtime.registry';
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
import {
  LOCAL_QUEUE,
  openTaskStore,
  TASKS_CONFIG,
  TaskStore,
} from '../../../../test/support/task-store';

const OWNER = randomUUID();

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
    worker = launchWorker(executors);
  });

  function launchWorker(registry: RuntimeRegistry): LaunchWorker {
    return new LaunchWorker(
      TASKS_CONFIG,
      {} as JobQueues,
      store.tasks,
      store.attempts,
      registry,
      store.lifecycle,
      {
        build: (task: Task, attempt: number) => ({ taskId: task.id, attempt }),
      } as unknown as RunSpecFactory,
      new RunOutcomes(TASKS_CONFIG, store.lifecycle),
      { queues: new Map() } as unknown as CapacityService,
    );
  }

  afterEach(() => store.close());

  async function queuedTask(): Promise<Task> {
    const task = pendingTaskRow({ ownerId: OWNER, name: 'train', retryBackoffSeconds: 10 });
    await store.tasks.insert(task, { actor: OWNER, reason: 'submitted' });
    await store.lifecycle.queue(task, LOCAL_QUEUE);
    return task;
  }

  function launchOrder(task: Task): Job<LaunchOrder> {
    return { data: { taskId: task.id, attempt: 1 } } as Job<LaunchOrder>;
  }

  it('ends the attempt it started when the queue names a runtime this Kiln no longer has', async () => {
    const task = await queuedTask();
    const unknown = {
      get: (name: string) => {
        throw new UnknownRuntimeError(name, ['local']);
      },
    } as unknown as RuntimeRegistry;

    await launchWorker(unknown).launch(launchOrder(task));

    expect(launches).toEqual([]);
    expect(await store.tasks.findById(task.id)).not.toMatchObject({
      status: TaskStatus.Running,
    });
    expect((await store.attempts.one(task.id, 1))?.reason).toMatch(
      /the local executor could not start the run: No runtime named "local"/,
    );
  });

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
      TASKS_CONFIG,
      store.tasks,
      store.attempts,
      lock,
      executors,
      new RunOutcomes(TASKS_CONFIG, store.lifecycle),
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
