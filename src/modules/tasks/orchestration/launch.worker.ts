// The launch order processor (worker role): conditional queued → running, then
// Executor.launch, then the handle on the attempt row. A duplicate or late launch order
// loses the conditional update and does nothing, so no attempt ever starts twice.
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ProcessRole } from '../../../common/process/process-role';
import { KilnConfig } from '../../../config/kiln.config';
import { JOB_QUEUES, Job, JobQueues } from '../../../infra/jobs/job-queue.port';
import { RuntimeRegistry } from '../../runtimes';
import { AttemptStatus, TaskAttempt } from '../persistence/entities/task-attempt.entity';
import { Task } from '../persistence/entities/task.entity';
import { CapacityService } from './capacity.service';
import { LAUNCH_JOB_QUEUE, LaunchOrder } from './launch-order';
import { RunOutcomes } from '../lifecycle/run-outcomes.service';
import { RunSpecFactory } from '../runs/run-spec.factory';
import { hashRunToken, newRunToken } from '../runs/run-token';
import { SYSTEM_ACTOR, TaskTransitions } from '../lifecycle/task-transitions.service';
import { TaskStatus } from '../lifecycle/task-status';
import { messageOf } from '../../../common/errors/message-of';
import { isTransientError } from '../../../common/retry/transient-error';

@Injectable()
export class LaunchWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(LaunchWorker.name);

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    @Inject(JOB_QUEUES) private readonly queues: JobQueues,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly executors: RuntimeRegistry,
    private readonly transitions: TaskTransitions,
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
    const task = await this.transitions.move(taskId, {
      to: TaskStatus.Running,
      from: [TaskStatus.Queued],
      attempt,
      actor: SYSTEM_ACTOR,
      reason: `attempt ${attempt} started`,
      patch: { startedAt: new Date(), progressPermille: 0 },
    });
    if (!task) return; // cancelled, already launched, or a stale job
    const runToken = newRunToken();
    const attemptRow = await this.startAttempt(task, attempt, hashRunToken(runToken));
    try {
      const executor = this.executors.get(attemptRow.executor);
      const handle = await executor.launch(this.specs.build(task, attempt, runToken));
      await this.attempts().update({ taskId, number: attempt }, { handle });
      await this.stopIfCancelledMeanwhile(taskId, attempt, () =>
        executor.stop(handle, this.config.tasks.stopGraceMs),
      );
    } catch (error) {
      const reason = `the ${attemptRow.executor} executor could not start the run: ${messageOf(error)}`;
      this.logger.warn({ taskId, attempt, err: error }, reason);
      // A runtime that could not be reached says nothing about the task: like a lost
      // run, it is retried without spending one of the task's own retries.
      const outcome = isTransientError(error)
        ? ({ state: 'lost', reason } as const)
        : ({ state: 'failed', reason } as const);
      await this.outcomes.settle(task, attempt, outcome);
    }
  }

  /**
   * A cancel that arrived while the run was starting found no handle to stop, so the
   * reconciler ended the task without stopping anything; the run is stopped here.
   */
  private async stopIfCancelledMeanwhile(
    taskId: string,
    attempt: number,
    stop: () => Promise<void>,
  ): Promise<void> {
    const task = await this.dataSource
      .getRepository(Task)
      .findOne({ where: { id: taskId }, select: { id: true, status: true, attempt: true } });
    const cancelled =
      task?.status === TaskStatus.Cancelling || task?.status === TaskStatus.Cancelled;
    if (!cancelled || task.attempt !== attempt) return;
    await stop().catch((error: unknown) =>
      this.logger.warn({ taskId, attempt, err: error }, 'could not stop a run cancelled at launch'),
    );
  }

  /** Marks the attempt running; creates its row if a dispatcher crash left none. */
  private async startAttempt(task: Task, number: number, runTokenHash: string) {
    const repository = this.attempts();
    const existing = await repository.findOneBy({ taskId: task.id, number });
    const patch = { status: AttemptStatus.Running, startedAt: new Date(), runTokenHash };
    if (existing) {
      await repository.update({ id: existing.id }, patch);
      return { ...existing, ...patch };
    }
    const row = repository.create({
      id: randomUUID(),
      taskId: task.id,
      number,
      executor: this.capacity.queues.get(task.queue)?.runtime ?? 'local',
      handle: null,
      queuedAt: task.queuedAt ?? new Date(),
      ...patch,
    });
    await repository.insert(row);
    return row;
  }

  private attempts() {
    return this.dataSource.getRepository(TaskAttempt);
  }
}
