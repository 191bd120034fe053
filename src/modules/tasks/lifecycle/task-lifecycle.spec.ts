// The named operations on a real (in-memory) SQLite database: each moves the task and
// its attempt together, and a late actor changes neither.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TaskAttempt } from '../persistence/entities/task-attempt.entity';
import { Task } from '../persistence/entities/task.entity';
import { TaskRepository } from '../persistence/task.repository';
import { AttemptStatus } from './attempt-status';
import { EndedRun, TaskLifecycle } from './task-lifecycle';
import { TaskStatus } from './task-status';
import { pendingTaskRow } from '../../../../test/support/task-row';
import { LOCAL_QUEUE, openTaskStore, TaskStore } from '../../../../test/support/task-store';

const USER = { userId: randomUUID(), username: 'ada' };

describe('the task lifecycle', () => {
  let store: TaskStore;
  let dataSource: DataSource;
  let lifecycle: TaskLifecycle;
  let tasks: TaskRepository;

  beforeEach(async () => {
    store = await openTaskStore();
    ({ dataSource, lifecycle, tasks } = store);
  });

  afterEach(() => store.close());

  async function pendingTask(): Promise<Task> {
    const task = newTask();
    await tasks.insert(task, { actor: USER.userId, reason: 'submitted' });
    return task;
  }

  async function runningTask(): Promise<Task> {
    const task = await pendingTask();
    await lifecycle.queue(task, LOCAL_QUEUE);
    const started = await lifecycle.start(task.id, 1, 'token-hash', () => 'local');
    return started!.task;
  }

  function attemptOf(taskId: string) {
    return dataSource.getRepository(TaskAttempt).findOneByOrFail({ taskId, number: 1 });
  }

  function ended(task: Task, status: AttemptStatus, exitCode: number | null = null): EndedRun {
    return {
      task,
      attempt: 1,
      from: TaskStatus.Running,
      ended: { status, exitCode, reason: null },
    };
  }

  it('queues, starts and succeeds a task and its attempt together', async () => {
    const task = await pendingTask();
    expect(await lifecycle.queue(task, LOCAL_QUEUE)).toMatchObject({
      status: 'queued',
      attempt: 1,
    });
    expect(await attemptOf(task.id)).toMatchObject({ status: 'queued', executor: 'local' });

    const started = await lifecycle.start(task.id, 1, 'token-hash', () => 'local');
    expect(started?.task.status).toBe('running');
    expect(await attemptOf(task.id)).toMatchObject({
      status: 'running',
      runTokenHash: 'token-hash',
    });

    const succeeded = await lifecycle.succeed(ended(started!.task, AttemptStatus.Succeeded, 0));
    expect(succeeded).toMatchObject({ status: 'succeeded', exitCode: 0, progressPermille: 1000 });
    expect(await attemptOf(task.id)).toMatchObject({ status: 'succeeded', exitCode: 0 });
  });

  it('cancels a queued task together with its queued attempt', async () => {
    const task = await pendingTask();
    const queued = await lifecycle.queue(task, LOCAL_QUEUE);
    expect(await lifecycle.requestCancel(queued!, USER)).toMatchObject({ status: 'cancelled' });
    expect(await attemptOf(task.id)).toMatchObject({ status: 'cancelled' });
    expect(await lifecycle.start(task.id, 1, 'token-hash', () => 'local')).toBeNull();
  });

  it('stops a running task through cancelling, ending its attempt as cancelled', async () => {
    const running = await runningTask();
    const cancelling = await lifecycle.requestCancel(running, USER);
    expect(cancelling?.status).toBe('cancelling');
    expect(await attemptOf(running.id)).toMatchObject({ status: 'running' });
    expect(await lifecycle.finishCancel(cancelling!, 'the run was stopped')).toMatchObject({
      status: 'cancelled',
    });
    expect(await attemptOf(running.id)).toMatchObject({ status: 'cancelled' });
  });

  it('ends a failed attempt and sends the task back to pending when it retries later', async () => {
    const running = await runningTask();
    const notBefore = new Date(Date.now() + 10_000);
    const pending = await lifecycle.retryLater(ended(running, AttemptStatus.Failed, 3), {
      reason: 'attempt 1 failed; retry 1 of 2 in 10 s',
      failureReason: 'attempt 1 failed',
      retriesUsed: 1,
      lostCount: 0,
      notBefore,
      exitCode: 3,
    });
    expect(pending).toMatchObject({ status: 'pending', retriesUsed: 1, notBefore, exitCode: 3 });
    expect(await attemptOf(running.id)).toMatchObject({ status: 'failed', exitCode: 3 });
  });

  it('marks a lost run: the attempt lost, the task lost until its retry is decided', async () => {
    const running = await runningTask();
    const lost = await lifecycle.markLost(ended(running, AttemptStatus.Lost), 'process gone');
    expect(lost).toMatchObject({ status: 'lost', failureReason: 'process gone' });
    expect(await attemptOf(running.id)).toMatchObject({ status: 'lost' });
  });

  it('changes neither the task nor the attempt for a late actor of a finished run', async () => {
    const running = await runningTask();
    await lifecycle.succeed(ended(running, AttemptStatus.Succeeded, 0));
    expect(await lifecycle.fail(ended(running, AttemptStatus.Failed, 1), 'late', 1)).toBeNull();
    expect(await lifecycle.markLost(ended(running, AttemptStatus.Lost), 'late')).toBeNull();
    expect(await tasks.findById(running.id)).toMatchObject({ status: 'succeeded' });
    expect(await attemptOf(running.id)).toMatchObject({ status: 'succeeded', exitCode: 0 });
  });

  it('restarts a failed task with its retries restored, and never a succeeded one', async () => {
    const failed = await runningTask();
    await lifecycle.fail(ended(failed, AttemptStatus.Failed, 1), 'exit 1', 1);
    expect(await lifecycle.restart(failed.id, USER)).toMatchObject({
      status: 'pending',
      retriesUsed: 0,
      exitCode: null,
      failureReason: null,
      finishedAt: null,
    });
    const succeeded = await runningTask();
    await lifecycle.succeed(ended(succeeded, AttemptStatus.Succeeded, 0));
    expect(await lifecycle.restart(succeeded.id, USER)).toBeNull();
  });
});

function newTask(): Task {
  return pendingTaskRow({
    ownerId: USER.userId,
    name: 'train',
    queue: LOCAL_QUEUE.name,
    maxRetries: 2,
    retryBackoffSeconds: 10,
  });
}
