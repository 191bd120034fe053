// Queue capacity and per-user quota: what the dispatcher may start, what a submit may
// add to the backlog, and why a pending task waits.
import { Inject, Injectable } from '@nestjs/common';
import { KilnConfig } from '../../../config/kiln.config';
import { InvalidInputError } from '../../../common/errors/domain-error';
import { TaskRepository } from '../persistence/task.repository';
import { UserQuotaRepository } from '../persistence/user-quota.repository';
import { QueueCatalog } from '../queues/queue-catalog';
import { TaskQueue } from '../queues/task-queue';
import { BacklogFullError } from '../tasks.errors';
import { ReplicaUsagePort } from '../quotas/replica-usage-port';
import { SignalledCache } from '../../../infra/wakeups/signalled-cache';
import { WAKEUPS, Wakeups } from '../../../infra/wakeups/wakeups.port';
import { BacklogCounts } from './backlog-counts';

export interface UserLimits {
  maxRunning: number;
  maxGpus: number;
  maxPending: number;
}

export interface Usage {
  runs: number;
  gpus: number;
}

/** Active runs per queue and per user, as the dispatcher counts them. */
export interface UsageSnapshot {
  byQueue: Map<string, Usage>;
  /** Task runs and model service replicas, which hold the owner's quota alike. */
  byUser: Map<string, Usage>;
  /** The services' part of `byUser`: wanted replicas and their GPUs. */
  replicasByUser: Map<string, Usage>;
}

/** How long a client told "backlog full" should wait before trying again. */
const BACKLOG_RETRY_AFTER_SECONDS = 30;
const QUOTAS_CHANGED = 'tasks.quotas-changed';
/** How long a submit trusts a user's limits read before; a quota change empties it. */
const SUBMIT_LIMITS_MS = 1000;

@Injectable()
export class CapacityService {
  private readonly backlog: BacklogCounts;
  /** The limits a submit checks, one read a second per user rather than one a submit. */
  private readonly submitLimits: SignalledCache<UserLimits>;

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly tasks: TaskRepository,
    private readonly quotas: UserQuotaRepository,
    private readonly catalog: QueueCatalog,
    private readonly replicas: ReplicaUsagePort,
    @Inject(WAKEUPS) wakeups: Wakeups,
  ) {
    this.backlog = new BacklogCounts((userId) => this.tasks.pendingCounts(userId));
    this.submitLimits = new SignalledCache(wakeups, QUOTAS_CHANGED, SUBMIT_LIMITS_MS);
  }

  /** To be called once a user's quota override is written or removed: on every replica. */
  quotasChanged(): void {
    this.submitLimits.changed();
  }

  /** Every queue by name, as last read from the database. */
  get queues(): ReadonlyMap<string, TaskQueue> {
    return this.catalog.queues;
  }

  /** The queue; a 400 naming `field` when there is no such queue. */
  queue(name: string, field = 'queue'): TaskQueue {
    const queue = this.queues.get(name);
    if (!queue) {
      throw new InvalidInputError(`There is no queue named ${name}.`, [
        { field, message: `must be one of: ${[...this.queues.keys()].join(', ')}` },
      ]);
    }
    return queue;
  }

  async limitsFor(userIds: string[]): Promise<Map<string, UserLimits>> {
    const defaults = this.config.tasks.userLimits;
    const overrides = await this.quotas.forUsers(userIds);
    const byUser = new Map(overrides.map((quota) => [quota.userId, quota]));
    return new Map(
      userIds.map((userId) => {
        const quota = byUser.get(userId);
        return [
          userId,
          {
            maxRunning: quota?.maxRunning ?? defaults.maxRunning,
            maxGpus: quota?.maxGpus ?? defaults.maxGpus,
            maxPending: quota?.maxPending ?? defaults.maxPending,
          },
        ];
      }),
    );
  }

  async usage(): Promise<UsageSnapshot> {
    const [rows, services] = await Promise.all([
      this.tasks.activeUsage(),
      this.replicas.source.byOwner(),
    ]);
    const snapshot: UsageSnapshot = {
      byQueue: new Map(),
      byUser: new Map(),
      replicasByUser: new Map(),
    };
    for (const { queue, ownerId, runs, gpus } of rows) {
      add(snapshot.byQueue, queue, runs, gpus);
      add(snapshot.byUser, ownerId, runs, gpus);
    }
    // Replicas hold their owner's quota, not a queue's slots: queues pace tasks.
    for (const [ownerId, { replicas, gpus }] of services) {
      add(snapshot.byUser, ownerId, replicas, gpus);
      add(snapshot.replicasByUser, ownerId, replicas, gpus);
    }
    return snapshot;
  }

  /**
   * Refuses a submit when the user's or everyone's pending backlog is full (429);
   * otherwise counts the task it adds (see BacklogCounts).
   */
  async assertBacklogRoom(userId: string): Promise<void> {
    const { maxPending } = await this.submitLimits.read(userId, async () => ({
      value: (await this.limitsFor([userId])).get(userId)!,
    }));
    const maxPendingTotal = this.config.tasks.maxPendingTotal;
    const { mine, total } = await this.backlog.of(userId, {
      maxMine: maxPending,
      maxTotal: maxPendingTotal,
    });
    if (mine >= maxPending) {
      throw new BacklogFullError(
        `You have ${mine} pending tasks, the most allowed (${maxPending}).`,
        BACKLOG_RETRY_AFTER_SECONDS,
      );
    }
    if (total >= maxPendingTotal) {
      throw new BacklogFullError(
        'Kiln has as many pending tasks as it accepts; try again later.',
        BACKLOG_RETRY_AFTER_SECONDS,
      );
    }
    this.backlog.added(userId);
  }
}

function add(map: Map<string, Usage>, key: string, runs: number, gpus: number): void {
  const usage = map.get(key) ?? { runs: 0, gpus: 0 };
  usage.runs += runs;
  usage.gpus += gpus;
  map.set(key, usage);
}
