// What happens to a task when one of its runs ends: success, a failure that is retried
// with backoff or ends the task, a timeout, or a lost run retried without spending a
// retry. Decides; the moves themselves are TaskLifecycle's. Used by the launch worker
// (a launch that fails) and the reconciler.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { KilnConfig } from '../../../config/kiln.config';
import type { RunStatus } from '../../runtimes';
import { Task } from '../persistence/entities/task.entity';
import { AttemptStatus } from './attempt-status';
import { retryDelaySeconds } from './retry-backoff';
import { AttemptEnd, EndedRun, TaskLifecycle } from './task-lifecycle';
import { TaskStatus } from './task-status';

type Ended = Exclude<RunStatus, { state: 'pending' } | { state: 'running' }>;

const ATTEMPT_STATUS: Record<Ended['state'], AttemptStatus> = {
  succeeded: AttemptStatus.Succeeded,
  failed: AttemptStatus.Failed,
  timed_out: AttemptStatus.TimedOut,
  lost: AttemptStatus.Lost,
};

@Injectable()
export class RunOutcomes {
  private readonly logger = new Logger(RunOutcomes.name);

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly lifecycle: TaskLifecycle,
  ) {}

  /**
   * Records how attempt `attempt` of `task` ended and moves the task on from `from` (a
   * task found `lost` after a crash resumes from there).
   */
  async settle(
    task: Task,
    attempt: number,
    outcome: Ended,
    from = TaskStatus.Running,
  ): Promise<Task | null> {
    const run: EndedRun = { task, attempt, from, ended: attemptEndOf(outcome) };
    this.logger.debug({ taskId: task.id, attempt, outcome: outcome.state }, 'attempt ended');
    switch (outcome.state) {
      case 'succeeded':
        return this.lifecycle.succeed(run);
      case 'timed_out':
        return this.lifecycle.timeOut(run, outcome.reason);
      case 'failed':
        return this.failed(run, outcome);
      case 'lost':
        return this.lost(run, outcome.reason);
    }
  }

  private async failed(run: EndedRun, outcome: Extract<Ended, { state: 'failed' }>) {
    const { task, attempt } = run;
    const exitCode = outcome.exitCode ?? null;
    const exitCodeNotRetried = exitCode !== null && task.noRetryExitCodes.includes(exitCode);
    const permanent = outcome.retryable === false || exitCodeNotRetried;
    if (!permanent && task.retriesUsed < task.maxRetries) {
      return this.retry(run, `attempt ${attempt} failed: ${outcome.reason}`, {
        spendsRetry: true,
        exitCode,
      });
    }
    const why = exitCodeNotRetried
      ? `${outcome.reason} (exit code ${exitCode} is not retried)`
      : outcome.reason;
    return this.lifecycle.fail(run, why, exitCode);
  }

  private async lost(run: EndedRun, reason: string) {
    const lostTask =
      run.from === TaskStatus.Lost ? run.task : await this.lifecycle.markLost(run, reason);
    if (!lostTask) return null;
    const lostRun = { ...run, task: lostTask, from: TaskStatus.Lost };
    // a lost run is retried for free up to the cap, then from the task's own retries
    const spendsRetry = lostTask.lostCount >= this.config.tasks.maxLostRetries;
    if (!spendsRetry || lostTask.retriesUsed < lostTask.maxRetries) {
      const why = `attempt ${run.attempt} was lost: ${reason}`;
      return this.retry(lostRun, why, { spendsRetry, exitCode: null });
    }
    return this.lifecycle.fail(lostRun, `lost: ${reason}`, null);
  }

  private retry(
    run: EndedRun,
    why: string,
    { spendsRetry, exitCode }: { spendsRetry: boolean; exitCode: number | null },
  ) {
    const { task } = run;
    const retriesUsed = task.retriesUsed + (spendsRetry ? 1 : 0);
    const delay = spendsRetry
      ? retryDelaySeconds(
          task.retryBackoffSeconds,
          retriesUsed,
          this.config.tasks.retryBackoffCapSeconds,
        )
      : 0;
    const label = spendsRetry ? `retry ${retriesUsed} of ${task.maxRetries}` : 'retry (lost run)';
    return this.lifecycle.retryLater(run, {
      reason: `${why}; ${label} in ${delay} s`,
      failureReason: why,
      retriesUsed,
      lostCount: task.lostCount + (spendsRetry ? 0 : 1),
      notBefore: new Date(Date.now() + delay * 1000),
      exitCode,
    });
  }
}

function attemptEndOf(outcome: Ended): AttemptEnd {
  return {
    status: ATTEMPT_STATUS[outcome.state],
    reason: 'reason' in outcome ? outcome.reason : null,
    exitCode: 'exitCode' in outcome ? (outcome.exitCode ?? null) : null,
  };
}
