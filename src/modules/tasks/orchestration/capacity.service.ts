// Queue capacity and per-user quota: what the dispatcher may start, what a submit may
// add to the backlog, and why a pending task waits.
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { KilnConfig } from '../../../config/kiln.config';
import { TaskQueueConfig } from '../../../config/sections/tasks.config';
import { InvalidInputError } from '../../../common/errors/domain-error';
import { Task } from '../persistence/entities/task.entity';
import { UserQuota } from '../persistence/entities/user-quota.entity';
import { ACTIVE_STATUSES, TaskStatus } from '../lifecycle/task-status';
import { BacklogFullError } from '../tasks.errors';

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
  byUser: Map<string, Usage>;
}

/** How long a client told "backlog full" should wait before trying again. */
const BACKLOG_RETRY_AFTER_SECONDS = 30;

@Injectable()
export class CapacityService {
  /** Every configured queue by name. */
  readonly queues: ReadonlyMap<string, TaskQueueConfig>;

  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.queues = new Map(config.tasks.queues.map((queue) => [queue.name, queue]));
  }

  /** The queue's config; a 400 naming `field` when there is no such queue. */
  queue(name: string, field = 'queue'): TaskQueueConfig {
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
    const overrides = userIds.length
      ? await this.dataSource.getRepository(UserQuota).findBy({ userId: In(userIds) })
      : [];
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
    const rows: Array<{ queue: string; ownerId: string; runs: string; gpus: string | null }> =
      await this.dataSource
        .getRepository(Task)
        .createQueryBuilder('t')
        .select('t.queue', 'queue')
        .addSelect('t.owner_id', 'ownerId')
        .addSelect('COUNT(*)', 'runs')
        .addSelect('SUM(t.gpu)', 'gpus')
        .where('t.status IN (:...active)', { active: ACTIVE_STATUSES })
        .groupBy('t.queue')
        .addGroupBy('t.owner_id')
        .getRawMany();
    const snapshot: UsageSnapshot = { byQueue: new Map(), byUser: new Map() };
    for (const row of rows) {
      const runs = Number(row.runs);
      const gpus = Number(row.gpus ?? 0);
      add(snapshot.byQueue, row.queue, runs, gpus);
      add(snapshot.byUser, row.ownerId, runs, gpus);
    }
    return snapshot;
  }

  /** Refuses a submit when the user's or everyone's pending backlog is full (429). */
  async assertBacklogRoom(userId: string): Promise<void> {
    const [limits, { mine, total }] = await Promise.all([
      this.limitsFor([userId]),
      this.pendingCounts(userId),
    ]);
    const maxPending = limits.get(userId)!.maxPending;
    if (mine >= maxPending) {
      throw new BacklogFullError(
        `You have ${mine} pending tasks, the most allowed (${maxPending}).`,
        BACKLOG_RETRY_AFTER_SECONDS,
      );
    }
    if (total >= this.config.tasks.maxPendingTotal) {
      throw new BacklogFullError(
        'Kiln has as many pending tasks as it accepts; try again later.',
        BACKLOG_RETRY_AFTER_SECONDS,
      );
    }
  }

  /** Pending tasks of `userId` and of everyone, in one query (one per submit). */
  private async pendingCounts(userId: string): Promise<{ mine: number; total: number }> {
    const row = await this.dataSource
      .getRepository(Task)
      .createQueryBuilder('t')
      .select('COUNT(*)', 'total')
      .addSelect('COALESCE(SUM(CASE WHEN t.owner_id = :userId THEN 1 ELSE 0 END), 0)', 'mine')
      .where('t.status = :pending', { pending: TaskStatus.Pending, userId })
      .getRawOne<{ mine: number | string; total: number | string }>();
    return { mine: Number(row?.mine ?? 0), total: Number(row?.total ?? 0) };
  }
}

function add(map: Map<string, Usage>, key: string, runs: number, gpus: number): void {
  const usage = map.get(key) ?? { runs: 0, gpus: 0 };
  usage.runs += runs;
  usage.gpus += gpus;
  map.set(key, usage);
}
