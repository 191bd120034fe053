// The dispatcher (leader only): moves pending tasks to `queued` within queue capacity
// and user quota, then puts a launch job on the job queue. A submit, a finished run or
// a cancel wakes it at once; the interval is the fallback.
import { Inject, Injectable } from '@nestjs/common';
import { mapConcurrent } from '../../../common/concurrency/map-concurrent';
import { LeaderInterval, LeaderLoop } from '../../../common/scheduling/leader-loop';
import { JOB_QUEUES, JobQueues } from '../../../infra/jobs/job-queue.port';
import { LEADER_LOCK, LeaderLock } from '../../../infra/lock/leader-lock.port';
import { CapacityService, UsageSnapshot } from './capacity.service';
import { planDispatch } from './dispatch-plan';
import { DispatchCandidateRow, TaskRepository } from '../persistence/task.repository';
import { LAUNCH_JOB_QUEUE, LaunchOrder, launchJobId } from './launch-order';
import { TaskDependencies } from './task-dependencies.service';
import { TaskLifecycle } from '../lifecycle/task-lifecycle';
import { QueueCatalog } from '../queues/queue-catalog';

/** Pending tasks looked at per pass; more wait for the next pass. */
const CANDIDATES_PER_PASS = 1000;
const DISPATCH_TICK_MS = 1000;
const DISPATCH_CONCURRENCY = 8;

@Injectable()
export class Dispatcher {
  private readonly loop = new LeaderLoop({
    name: 'dispatch',
    pass: () => this.pass(),
    isLeader: () => this.lock.isLeader,
  });

  constructor(
    private readonly tasks: TaskRepository,
    @Inject(JOB_QUEUES) private readonly queues: JobQueues,
    @Inject(LEADER_LOCK) private readonly lock: LeaderLock,
    private readonly capacity: CapacityService,
    private readonly lifecycle: TaskLifecycle,
    private readonly dependencies: TaskDependencies,
    private readonly catalog: QueueCatalog,
  ) {}

  /** Runs a pass soon if this process leads; other replicas rely on the leader's tick. */
  wake(): void {
    this.loop.wake();
  }

  @LeaderInterval('tasks.dispatch', DISPATCH_TICK_MS)
  tick(): Promise<void> {
    return this.loop.tick();
  }

  private async pass(): Promise<void> {
    await this.dependencies.failDoomed();
    // one read of a small table, so a queue change made on any replica counts this pass
    await this.catalog.reload();
    const usage = await this.capacity.usage();
    // With every queue full, as under a backlog, a pass costs one small query instead of
    // reading a thousand candidates that could not start anyway.
    const open = this.queuesWithFreeSlots(usage);
    if (open.length === 0) return;
    const candidates = await this.tasks.dispatchCandidates(CANDIDATES_PER_PASS, open);
    if (candidates.length === 0) return;
    const owners = [...new Set(candidates.map((task) => task.ownerId))];
    const limits = await this.capacity.limitsFor(owners);
    // Each dispatch is a few round trips to the database and the queue; a handful at a
    // time keeps a burst of submits from waiting on them one by one. The plan already
    // respects capacity, so the order they finish in does not matter.
    await mapConcurrent(
      planDispatch(candidates, usage, this.capacity.queues, limits),
      DISPATCH_CONCURRENCY,
      (task) =>
        // leadership lost mid-pass: stop at the next step
        this.lock.isLeader ? this.dispatch(task) : Promise.resolve(),
    );
  }

  private queuesWithFreeSlots(usage: UsageSnapshot): string[] {
    return [...this.capacity.queues.values()]
      .filter((queue) => (usage.byQueue.get(queue.name)?.runs ?? 0) < queue.maxRunning)
      .map((queue) => queue.name);
  }

  private async dispatch(task: DispatchCandidateRow): Promise<void> {
    const queued = await this.lifecycle.queue(task, this.capacity.queue(task.queue));
    if (queued) await this.enqueue({ taskId: task.id, attempt: queued.attempt });
  }

  /**
   * Idempotent: the job id de-duplicates, and the worker ignores stale jobs. `reissue`
   * replaces a launch job of the same attempt that already finished (e.g. gave up).
   */
  async enqueue(order: LaunchOrder, { reissue = false } = {}): Promise<void> {
    await this.queues.get(LAUNCH_JOB_QUEUE).add('launch', order, {
      jobId: launchJobId(order),
      replaceFinished: reissue,
      attempts: 5,
      backoff: { type: 'exponential', delayMs: 1000 },
    });
  }
}
