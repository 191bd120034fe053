// What happens to a task when one of its runs ends: success, a failure that is retried
// with backoff or ends the task, a timeout, or a lost run retried without spending a
// retry. Shared by the launch worker (a launch that fails) and the reconciler.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { KilnConfig } from '../../../config/kiln.config';
import type { RunStatus } from '../../runtimes/executor.port';
import { AttemptStatus } from '../persistence/entities/task-attempt.entity';
import { TaskAttemptRepository } from '../persistence/task-attempt.repository';
import { Task } from '../persistence/entities/task.entity';
import { retryDelaySeconds } from './retry-backoff';
import { SYSTEM_ACTOR, TaskPatch, TaskTransitions } from './task-transitions.service';
import { TaskStatus } from './task-status';

type Ended = Exclude<RunStatus, { state: 'pending' } | { state: 'running' }>;

@Injectable()
export class RunOutcomes {
  private readonly logger = new Logger(RunOutcomes.name);

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly attempts: TaskAttemptRepository,
    private readonly transitions: TaskTransitions,
  ) {}

  /** Records how attempt `attempt` of `task` ended and moves the task on. */
  async settle(task: Task, attempt: number, outcome: Ended, from = TaskStatus.Running) {
    await this.finishAttempt(task.id, attempt, outcome);
    switch (outcome.state) {
      case 'succeeded':
        return this.end(task, attempt, from, TaskStatus.Succeeded, 'the run exited with code 0', {
          exitCode: 0,
          progressPermille: 1000,
        });
      case 'timed_out':
        return this.end(task, attempt, from, TaskStatus.TimedOut, outcome.reason, {
          failureReason: outcome.reason,
        });
      case 'failed':
        return this.failed(task, attempt, from, outcome);
      case 'lost':
        return this.lost(task, attempt, from, outcome.reason);
    }
  }

  /** Marks the attempt of a cancelled run. */
  async cancelled(taskId: string, attempt: number): Promise<void> {
    await this.finishAttempt(taskId, attempt, { state: 'cancelled' });
  }

  private async failed(
    task: Task,
    attempt: number,
    from: TaskStatus,
    outcome: Extract<Ended, { state: 'failed' }>,
  ) {
    const exitCode = outcome.exitCode ?? null;
    const exitCodeNotRetried = exitCode !== null && task.noRetryExitCodes.includes(exitCode);
    const permanent = outcome.retryable === false || exitCodeNotRetried;
    if (!permanent && task.retriesUsed < task.maxRetries) {
      return this.retry(task, attempt, from, `attempt ${attempt} failed: ${outcome.reason}`, {
        spendsRetry: true,
        exitCode,
      });
    }
    const why = exitCodeNotRetried
      ? `${outcome.reason} (exit code ${exitCode} is not retried)`
      : outcome.reason;
    return this.end(task, attempt, from, TaskStatus.Failed, why, {
      exitCode,
      failureReason: why,
    });
  }

  private async lost(task: Task, attempt: number, from: TaskStatus, reason: string) {
    const lostTask =
      from === TaskStatus.Lost
        ? task
        : await this.transitions.move(task.id, {
            to: TaskStatus.Lost,
            from: [from],
            attempt,
            actor: SYSTEM_ACTOR,
            reason,
            patch: { failureReason: reason },
          });
    if (!lostTask) return null;
    // a lost run is retried for free up to the cap, then from the task's own retries
    const spendsRetry = lostTask.lostCount >= this.config.tasks.maxLostRetries;
    if (!spendsRetry || lostTask.retriesUsed < lostTask.maxRetries) {
      const why = `attempt ${attempt} was lost: ${reason}`;
      return this.retry(lostTask, attempt, TaskStatus.Lost, why, { spendsRetry, exitCode: null });
    }
    return this.end(lostTask, attempt, TaskStatus.Lost, TaskStatus.Failed, `lost: ${reason}`, {
      failureReason: `lost: ${reason}`,
    });
  }

  private async retry(
    task: Task,
    attempt: number,
    from: TaskStatus,
    why: string,
    { spendsRetry, exitCode }: { spendsRetry: boolean; exitCode: number | null },
  ) {
    const retriesUsed = task.retriesUsed + (spendsRetry ? 1 : 0);
    const delay = spendsRetry
      ? retryDelaySeconds(
          task.retryBackoffSeconds,
          retriesUsed,
          this.config.tasks.retryBackoffCapSeconds,
        )
      : 0;
    const label = spendsRetry ? `retry ${retriesUsed} of ${task.maxRetries}` : 'retry (lost run)';
    return this.transitions.move(task.id, {
      to: TaskStatus.Pending,
      from: [from],
      attempt,
      actor: SYSTEM_ACTOR,
      reason: `${why}; ${label} in ${delay} s`,
      patch: {
        retriesUsed,
        lostCount: task.lostCount + (spendsRetry ? 0 : 1),
        notBefore: new Date(Date.now() + delay * 1000),
        exitCode,
        failureReason: why,
        progressPermille: 0,
      },
    });
  }

  private end(
    task: Task,
    attempt: number,
    from: TaskStatus,
    to: TaskStatus,
    reason: string,
    patch: TaskPatch,
  ) {
    return this.transitions.move(task.id, {
      to,
      from: [from],
      attempt,
      actor: SYSTEM_ACTOR,
      reason,
      patch: { ...patch, finishedAt: new Date() },
    });
  }

  private async finishAttempt(
    taskId: string,
    number: number,
    outcome: Ended | { state: 'cancelled' },
  ): Promise<void> {
    const status: Record<typeof outcome.state, AttemptStatus> = {
      succeeded: AttemptStatus.Succeeded,
      failed: AttemptStatus.Failed,
      timed_out: AttemptStatus.TimedOut,
      lost: AttemptStatus.Lost,
      cancelled: AttemptStatus.Cancelled,
    };
    const reason = 'reason' in outcome ? outcome.reason : null;
    const exitCode = 'exitCode' in outcome ? (outcome.exitCode ?? null) : null;
    // queued too: a launch that failed, or a cancel before the run started
    await this.attempts.move(
      taskId,
      number,
      [AttemptStatus.Running, AttemptStatus.Queued],
      status[outcome.state],
      { finishedAt: new Date(), exitCode, reason },
    );
    this.logger.debug({ taskId, attempt: number, outcome: outcome.state }, 'attempt ended');
  }
}
