// The reconciler (leader only): asks executors about every active run and moves tasks
// on: finished runs end or retry, runs past their timeout are stopped, cancelling runs
// are stopped, runs whose process is gone are lost and retried, and queued tasks whose
// launch job vanished (an in-process queue after a restart) get it again. After a Kiln
// restart this is what leaves no task stuck in `queued` or `running`.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { mapConcurrent } from '../../../common/concurrency/map-concurrent';
import { LeaderInterval, LeaderLoop } from '../../../common/scheduling/leader-loop';
import { KilnConfig } from '../../../config/kiln.config';
import { LEADER_LOCK, LeaderLock } from '../../../infra/lock/leader-lock.port';
import type { RunHandle } from '../../runtimes';
import { RuntimeRegistry } from '../../runtimes';
import { Dispatcher } from './dispatcher.service';
import { TaskAttempt } from '../persistence/entities/task-attempt.entity';
import { Task } from '../persistence/entities/task.entity';
import { TaskAttemptRepository } from '../persistence/task-attempt.repository';
import { TaskRepository } from '../persistence/task.repository';
import { RunOutcomes } from '../lifecycle/run-outcomes.service';
import { TaskLifecycle } from '../lifecycle/task-lifecycle';
import { TaskStatus } from '../lifecycle/task-status';

const RECONCILE_TICK_MS = 1000;
/** Executor calls in flight at once, so a thousand runs never means a thousand calls. */
const INSPECT_CONCURRENCY = 16;
/** Runs remembered as settled here, so a pass holding an older read of them skips them. */
const SETTLED_RUNS_KEPT = 1000;

@Injectable()
export class Reconciler {
  private readonly logger = new Logger(Reconciler.name);
  private readonly loop = new LeaderLoop({
    name: 'reconcile',
    pass: () => this.pass(),
    isLeader: () => this.lock.isLeader,
  });
  /**
   * Runs this process is settling or has settled, task id → attempt. A run's end is
   * settled by the process that saw it (reconcileEnded) and by the leader's pass; a pass
   * that read the task before that settle would inspect and settle it again, costing a
   * few statements that change nothing (every move is conditional).
   */
  private readonly settling = new Map<string, number>();

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly tasks: TaskRepository,
    private readonly attempts: TaskAttemptRepository,
    @Inject(LEADER_LOCK) private readonly lock: LeaderLock,
    private readonly executors: RuntimeRegistry,
    private readonly outcomes: RunOutcomes,
    private readonly lifecycle: TaskLifecycle,
    private readonly dispatcher: Dispatcher,
  ) {}

  /** Runs a pass soon if this process leads; other replicas rely on the leader's tick. */
  wake(): void {
    this.loop.wake();
  }

  @LeaderInterval('tasks.reconcile', RECONCILE_TICK_MS)
  tick(): Promise<void> {
    return this.loop.tick();
  }

  private async pass(): Promise<void> {
    const active = await this.tasks.inStatuses([
      TaskStatus.Running,
      TaskStatus.Cancelling,
      TaskStatus.Lost,
    ]);
    const attempts = await this.attempts.current(
      new Map(active.map((task) => [task.id, task.attempt])),
    );
    const settled = await mapConcurrent(active, INSPECT_CONCURRENCY, async (task) =>
      this.lock.isLeader
        ? this.reconcileOnce(task, attempts.get(task.id)).catch((error) =>
            this.logFailure(error, task),
          )
        : false,
    );
    await this.requeueStale();
    if (settled.some(Boolean)) this.dispatcher.wake();
  }

  /**
   * Settles one run its runtime saw end, now rather than at the next pass, so its queue
   * slot is free at once. Safe on any replica and beside a pass: every move is
   * conditional, and the slower actor finds the task already moved. Returns true when
   * the task left its active status.
   */
  async reconcileEnded(run: { taskId: string; attempt: number }): Promise<boolean> {
    const task = await this.tasks.findById(run.taskId);
    const active = task?.status === TaskStatus.Running || task?.status === TaskStatus.Cancelling;
    if (!task || !active || task.attempt !== run.attempt) return false;
    const attempts = await this.attempts.current(new Map([[task.id, task.attempt]]));
    return this.reconcileOnce(task, attempts.get(task.id));
  }

  /** reconcile, unless this process is settling or has settled this attempt already. */
  private async reconcileOnce(task: Task, attempt: TaskAttempt | undefined): Promise<boolean> {
    if (this.settling.get(task.id) === task.attempt) return false;
    this.settling.set(task.id, task.attempt);
    let settled = false;
    try {
      settled = await this.reconcile(task, attempt);
      return settled;
    } finally {
      if (!settled) this.settling.delete(task.id);
      else if (this.settling.size > SETTLED_RUNS_KEPT)
        this.settling.delete(this.settling.keys().next().value!);
    }
  }

  /** Returns true when the task left its active status (capacity was freed). */
  private async reconcile(task: Task, attempt: TaskAttempt | undefined): Promise<boolean> {
    if (task.status === TaskStatus.Lost) {
      // a crash between "lost" and its retry: finish the retry decision now
      return Boolean(
        await this.outcomes.settle(
          task,
          task.attempt,
          { state: 'lost', reason: task.failureReason ?? 'the run was lost' },
          TaskStatus.Lost,
        ),
      );
    }
    if (!attempt?.handle) return this.withoutHandle(task, attempt);
    const executor = this.executors.get(attempt.executor);
    if (task.status === TaskStatus.Cancelling) {
      await executor.stop(attempt.handle, this.config.tasks.stopGraceMs);
      return Boolean(await this.lifecycle.finishCancel(task, 'the run was stopped'));
    }
    const status = await executor.inspect(attempt.handle);
    if (status.state === 'running' || status.state === 'pending') {
      if (!this.pastTimeout(task)) return false;
      // marked timed out, so whoever settles the run's end (this pass, or the process
      // that saw it exit) records `timed_out` and not the exit code SIGTERM left
      await executor.stop(attempt.handle, this.config.tasks.stopGraceMs, { timedOut: true });
      const reason = `the run exceeded its timeout of ${task.timeoutSeconds} s`;
      return Boolean(
        await this.outcomes.settle(task, task.attempt, { state: 'timed_out', reason }),
      );
    }
    if (status.state === 'lost') {
      // an orphan of a previous Kiln process may still run: stop it before retrying
      await executor.stop(attempt.handle, this.config.tasks.stopGraceMs).catch(() => undefined);
    }
    return Boolean(await this.outcomes.settle(task, task.attempt, status));
  }

  /** Running or cancelling, but the launch never recorded a handle. */
  private async withoutHandle(task: Task, attempt: TaskAttempt | undefined): Promise<boolean> {
    const handle = attempt && (await this.adopt(task, attempt));
    if (handle) return this.reconcile(task, { ...attempt, handle });
    if (task.status === TaskStatus.Cancelling) {
      return Boolean(await this.lifecycle.finishCancel(task, 'cancelled before the run started'));
    }
    const graceMs = this.config.tasks.launchGraceSeconds * 1000;
    if (!task.startedAt || Date.now() - task.startedAt.getTime() < graceMs) return false;
    const reason = 'the worker that launched the run stopped before recording it';
    return Boolean(await this.outcomes.settle(task, task.attempt, { state: 'lost', reason }));
  }

  /**
   * The handle of a run the executor started but whose launch never recorded it (the
   * worker died in between, or is about to record it), now written on the attempt: the
   * run is then inspected, stopped or settled like any other instead of running unseen.
   */
  private async adopt(task: Task, attempt: TaskAttempt): Promise<RunHandle | undefined> {
    const executor = this.executors.get(attempt.executor);
    const run = { taskId: task.id, attempt: task.attempt, queue: task.queue };
    const handle = await executor.find?.(run);
    if (!handle) return undefined;
    await this.attempts.adoptHandle(attempt.id, handle);
    return handle;
  }

  private pastTimeout(task: Task): boolean {
    if (!task.timeoutSeconds || !task.startedAt) return false;
    return Date.now() - task.startedAt.getTime() > task.timeoutSeconds * 1000;
  }

  private async requeueStale(): Promise<void> {
    const before = new Date(Date.now() - this.config.tasks.requeueAfterSeconds * 1000);
    const stale = await this.tasks.queuedSince(before, 500);
    // Still queued this long: its launch job is gone, gave up (a database outage outlasted
    // its tries) or is stuck behind something; the task's state, not the job, decides.
    for (const task of stale)
      await this.dispatcher.enqueue({ taskId: task.id, attempt: task.attempt }, { reissue: true });
  }

  private logFailure(error: unknown, task?: Task): false {
    this.logger.error(
      { err: error, taskId: task?.id },
      'reconcile failed; the next tick tries again',
    );
    return false;
  }
}
