// A run its runtime reports ended is settled at once (not at the leader's next pass), on
// a real (in-memory) SQLite database with a runtime that answers inspect from a table.
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { bindLeaderOnlyRunner } from '../../../common/scheduling/leader-only.decorator';
import { LeaderOnlyRunner } from '../../../common/scheduling/leader-only.runner';
import { ScheduledRunsPrometheus } from '../../../common/scheduling/scheduled-runs.prometheus';
import { MemoryLeaderLock } from '../../../infra/lock/drivers/memory-leader-lock';
import type { RunStatus, RuntimeRegistry } from '../../runtimes';
import { RunOutcomes } from '../lifecycle/run-outcomes.service';
import { TaskStatus } from '../lifecycle/task-status';
import { TaskEvent } from '../persistence/entities/task-event.entity';
import { Task } from '../persistence/entities/task.entity';
import type { Dispatcher } from './dispatcher.service';
import { Reconciler } from './reconciler.service';
import { pendingTaskRow } from '../../../../test/support/task-row';
import {
  LOCAL_QUEUE,
  openTaskStore,
  TASKS_CONFIG,
  TaskStore,
} from '../../../../test/support/task-store';

const OWNER = randomUUID();

describe('settling a run its runtime reports ended', () => {
  let store: TaskStore;
  let reconciler: Reconciler;
  let lock: MemoryLeaderLock;
  let inspections: number;
  const runStatus = new Map<string, RunStatus>();

  beforeEach(async () => {
    store = await openTaskStore();
    const { tasks, attempts, lifecycle } = store;
    lock = new MemoryLeaderLock();
    inspections = 0;
    const runtime = {
      inspect: (handle: { id: string }) => {
        inspections++;
        return Promise.resolve(runStatus.get(handle.id) ?? { state: 'running' });
      },
      stop: () => Promise.resolve(),
    };
    reconciler = new Reconciler(
      TASKS_CONFIG,
      tasks,
      attempts,
      lock,
      { get: () => runtime } as unknown as RuntimeRegistry,
      new RunOutcomes(TASKS_CONFIG, lifecycle),
      lifecycle,
      { wake: () => undefined } as unknown as Dispatcher,
    );
    bindLeaderOnlyRunner(
      reconciler,
      new LeaderOnlyRunner(lock, new ScheduledRunsPrometheus(new Registry())),
    );
  });

  afterEach(async () => {
    await lock.stop();
    runStatus.clear();
    await store.close();
  });

  async function runningTask(): Promise<Task> {
    const { tasks, attempts, lifecycle } = store;
    const task = pendingTaskRow({ ownerId: OWNER, name: 'train', retryBackoffSeconds: 10 });
    await tasks.insert(task, { actor: OWNER, reason: 'submitted' });
    await lifecycle.queue(task, LOCAL_QUEUE);
    const started = await lifecycle.start(task.id, 1, 'token-hash', () => 'local');
    await attempts.recordHandle(task.id, 1, { id: `run-${task.id}`, executor: 'local' });
    return started!.task;
  }

  function statusEvents(taskId: string) {
    return store.dataSource
      .getRepository(TaskEvent)
      .find({ where: { taskId }, order: { id: 'ASC' } });
  }

  it('ends the task with its outcome on any process, not only the leader', async () => {
    const task = await runningTask();
    runStatus.set(`run-${task.id}`, { state: 'succeeded', exitCode: 0 });

    expect(await reconciler.reconcileEnded({ taskId: task.id, attempt: 1 })).toBe(true);
    expect(await store.tasks.findById(task.id)).toMatchObject({ status: TaskStatus.Succeeded });
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

  it("does not settle again in the leader's pass a run it settled after the pass read it", async () => {
    const task = await runningTask();
    runStatus.set(`run-${task.id}`, { state: 'succeeded', exitCode: 0 });
    const readBeforeTheSettle = await store.tasks.inStatuses([TaskStatus.Running]);
    expect(await reconciler.reconcileEnded({ taskId: task.id, attempt: 1 })).toBe(true);
    jest.spyOn(store.tasks, 'inStatuses').mockResolvedValue(readBeforeTheSettle);
    lock.start();

    await reconciler.tick();

    expect(inspections).toBe(1);
    const ends = (await statusEvents(task.id)).filter((e) => e.toStatus === TaskStatus.Succeeded);
    expect(ends).toHaveLength(1);
  });

  it('leaves a task alone when the report is about an older attempt', async () => {
    const task = await runningTask();
    runStatus.set(`run-${task.id}`, { state: 'failed', reason: 'exit 1', exitCode: 1 });

    expect(await reconciler.reconcileEnded({ taskId: task.id, attempt: 0 })).toBe(false);
    expect(await store.tasks.findById(task.id)).toMatchObject({ status: TaskStatus.Running });
  });

  it('leaves a run that is still running to the reconciler', async () => {
    const task = await runningTask();

    expect(await reconciler.reconcileEnded({ taskId: task.id, attempt: 1 })).toBe(false);
    expect(await store.tasks.findById(task.id)).toMatchObject({ status: TaskStatus.Running });
  });
});
