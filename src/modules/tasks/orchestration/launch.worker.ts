// The launch order processor (worker role): conditional queued → running, then
// Executor.launch, then the handle on the attempt row. A duplicate or late launch order
// loses the conditional update and does nothing, so no attempt ever starts twice.
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ProcessRole } from '../../../common/process/process-role';
import { KilnConfig } from '../../../config/kiln.config';
import { JOB_QUEUES, Job, JobQueues } from '../../../infra/jobs/job-queue.port';
import type { BatchRuntime, RunHandle } from '../../runtimes';
import { RuntimeRegistry } from '../../runtimes';
import { Task } from '../persistence/entities/task.entity';
import { TaskAttemptRepository, TaskState } from '../persistence/task-attempt.repository';
import { TaskRepository } from '../persistence/task.repository';
import { CapacityService } from './capacity.service';
import { LAUNCH_JOB_QUEUE, LaunchOrder } from './launch-order';
import { RunOutcomes } from '../lifecycle/run-outcomes.service';
import { RunSpecFactory } from '../runs/run-spec.factory';
import { hashRunToken, newRunToken } from '../runs/run-token';
import { TaskLifecycle } from '../lifecycle/task-lifecycle';
import { TaskStatus } from '../lifecycle/task-status';
import { messageOf } from '../../../common/errors/message-of';
import { isTransientError } from '../../../common/retry/transient-error';
import { retry } from '../../../common/retry/retry';

/** Tries at recording a started run, over a few seconds of a database blip. */
const RECORD_RETRY = { attempts: 5, baseDelayMs: 200 };

@Injectable()
export class LaunchWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(LaunchWorker.name);

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    @Inject(JOB_QUEUES) private readonly queues: JobQueues,
    private readonly tasks: TaskRepository,
    private readonly attempts: TaskAttemptRepository,
    private readonly executors: RuntimeRegistry,
    private readonly lifecycle: TaskLifecycle,
    private readonly specs: RunSpecFactory,
    private readonly outcomes: RunOutcomes,
    private readonly capacity: CapacityService,
  ) {}

  onApplicationBootstrap(): void {
    if (!ProcessRole.of(this.config).runsWorkers) return; // api replicas only enqueue
    this.queues.get(LAUNCH_JOB_QUEUE).process<LaunchOrder>((job) => this.launch(job), {
      concurrency: this.config.tasks.launchConcurrency,
    });
  }

  async launch({ data }: Job<LaunchOrder>): Promise<void> {
    const { taskId, attempt } = data;
    const runToken = newRunToken();
    const started = await this.lifecycle.start(taskId, attempt, hashRunToken(runToken), (task) =>
      this.executorOf(task),
    );
    if (!started) return; // cancelled, already launched, or a stale job
    const { task, attempt: attemptRow } = started;
    let executor: BatchRuntime;
    let handle: RunHandle;
    try {
      // an unknown runtime (a queue configured away) fails the attempt like a failed start
      executor = this.executors.get(attemptRow.executor);
      handle = await executor.launch(this.specs.build(task, attempt, runToken));
    } catch (error) {
      await this.settleFailedLaunch(task, attempt, attemptRow.executor, error);
      return;
    }
    // From here the run exists. Nothing that fails now may end the attempt: its retry
    // would run beside it. A handle left unrecorded is adopted by the reconciler, which
    // finds the run through the executor.
    await this.afterLaunch(taskId, attempt, handle, () =>
      executor.stop(handle, this.config.tasks.stopGraceMs),
    );
  }

  private async settleFailedLaunch(
    task: Task,
    attempt: number,
    executor: string,
    error: unknown,
  ): Promise<void> {
    const reason = `the ${executor} executor could not start the run: ${messageOf(error)}`;
    this.logger.warn({ taskId: task.id, attempt, err: error }, reason);
    // A runtime that could not be reached says nothing about the task: like a lost
    // run, it is retried without spending one of the task's own retries.
    const outcome = isTransientError(error)
      ? ({ state: 'lost', reason } as const)
      : ({ state: 'failed', reason } as const);
    await this.outcomes.settle(task, attempt, outcome);
  }

  /** Records the handle, then stops the run if the task was cancelled while it started. */
  private async afterLaunch(
    taskId: string,
    attempt: number,
    handle: RunHandle,
    stop: () => Promise<void>,
  ): Promise<void> {
    let task: TaskState | null;
    try {
      task = await retry(() => this.recordHandle(taskId, attempt, handle), RECORD_RETRY);
    } catch (error) {
      this.logger.warn(
        { taskId, attempt, err: error },
        'the run started but its handle or a cancel could not be checked; the reconciler adopts it',
      );
      return;
    }
    await this.stopIfCancelledMeanwhile(taskId, task, attempt, stop);
  }

  /** Records the handle; returns where the task stands, read after the handle was written. */
  private async recordHandle(
    taskId: string,
    attempt: number,
    handle: RunHandle,
  ): Promise<TaskState | null> {
    const task = await this.attempts.recordHandleReadingTask(taskId, attempt, handle);
    return task ?? this.tasks.stateOf(taskId);
  }

  /**
   * A cancel that arrived while the run was starting found no handle to stop, so the
   * reconciler ended the task without stopping anything; the run is stopped here. The
   * state was read after the handle was written: a cancel that did not see the handle
   * had moved the task already.
   */
  private async stopIfCancelledMeanwhile(
    taskId: string,
    task: TaskState | null,
    attempt: number,
    stop: () => Promise<void>,
  ): Promise<void> {
    const cancelled =
      task?.status === TaskStatus.Cancelling || task?.status === TaskStatus.Cancelled;
    if (!cancelled || task.attempt !== attempt) return;
    await stop().catch((error: unknown) =>
      this.logger.warn({ taskId, attempt, err: error }, 'could not stop a run cancelled at launch'),
    );
  }

  /** The runtime of the task's queue, for an attempt row a dispatcher crash left unwritten. */
  private executorOf(task: Task): string {
    return this.capacity.queues.get(task.queue)?.runtime ?? 'local';
  }
}
