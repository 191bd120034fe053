// Per-user quotas: the overrides in user_quotas, the defaults they override, and what
// each user holds now. The dispatcher reads the overrides afresh on every pass, so a
// change counts at the next pass on whichever replica leads, without a restart.
import { Inject, Injectable } from '@nestjs/common';
import { KilnConfig } from '../../../config/kiln.config';
import { CapacityService, UserLimits } from '../orchestration/capacity.service';
import { TaskWakeups } from '../orchestration/task-wakeups';
import { UserQuotaRepository } from '../persistence/user-quota.repository';
import { QuotaUsage, QuotaUsageRepository, TaskQuotaUsage } from './quota-usage.repository';
import { HeldReplicas, ReplicaUsagePort } from './replica-usage-port';

/** A limit set to null falls back to the default. */
export type QuotaOverrides = { [K in keyof UserLimits]: number | null };

export interface UserQuotaView {
  userId: string;
  overrides: QuotaOverrides;
  effective: UserLimits;
  usage: QuotaUsage;
}

const NO_OVERRIDES: QuotaOverrides = { maxRunning: null, maxGpus: null, maxPending: null };
const NO_TASKS: TaskQuotaUsage = { running: 0, gpus: 0, pending: 0 };
const NO_REPLICAS: HeldReplicas = { replicas: 0, gpus: 0 };

@Injectable()
export class QuotaAdministration {
  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly overrides: UserQuotaRepository,
    private readonly usage: QuotaUsageRepository,
    private readonly capacity: CapacityService,
    private readonly wakeups: TaskWakeups,
    private readonly replicas: ReplicaUsagePort,
  ) {}

  defaults(): UserLimits {
    const { maxRunning, maxGpus, maxPending } = this.config.tasks.userLimits;
    return { maxRunning, maxGpus, maxPending };
  }

  /** Every user with an override, or with tasks or services that count against a quota. */
  async list(): Promise<UserQuotaView[]> {
    const [rows, usage] = await Promise.all([this.overrides.all(), this.usageOf()]);
    const userIds = [...new Set([...rows.map((row) => row.userId), ...usage.keys()])].sort();
    return this.views(userIds, usage);
  }

  async of(userId: string): Promise<UserQuotaView> {
    const [view] = await this.views([userId], await this.usageOf([userId]));
    return view;
  }

  async set(userId: string, changes: Partial<QuotaOverrides>): Promise<UserQuotaView> {
    const current = (await this.of(userId)).overrides;
    await this.overrides.save({ userId, ...current, ...changes });
    this.capacity.quotasChanged();
    this.wakeups.dispatch();
    return this.of(userId);
  }

  /** Back to the defaults; false when the user had no override. */
  async clear(userId: string): Promise<boolean> {
    const removed = await this.overrides.delete(userId);
    if (!removed) return false;
    this.capacity.quotasChanged();
    this.wakeups.dispatch();
    return true;
  }

  /** Tasks' and services' usage together, of `userIds` or of everyone holding something. */
  private async usageOf(userIds?: readonly string[]): Promise<Map<string, QuotaUsage>> {
    const [tasks, services] = await Promise.all([
      this.usage.byUser(userIds),
      this.replicas.source.byOwner(userIds),
    ]);
    const owners = new Set([...tasks.keys(), ...services.keys()]);
    return new Map(
      [...owners].map((owner) => [
        owner,
        combined(tasks.get(owner) ?? NO_TASKS, services.get(owner) ?? NO_REPLICAS),
      ]),
    );
  }

  private async views(userIds: string[], usage: Map<string, QuotaUsage>): Promise<UserQuotaView[]> {
    const [limits, rows] = await Promise.all([
      this.capacity.limitsFor(userIds),
      this.overrides.forUsers(userIds),
    ]);
    const byUser = new Map(rows.map((row) => [row.userId, row]));
    return userIds.map((userId) => {
      const row = byUser.get(userId);
      return {
        userId,
        overrides: row
          ? { maxRunning: row.maxRunning, maxGpus: row.maxGpus, maxPending: row.maxPending }
          : { ...NO_OVERRIDES },
        effective: limits.get(userId)!,
        usage: usage.get(userId) ?? combined(NO_TASKS, NO_REPLICAS),
      };
    });
  }
}

function combined(tasks: TaskQuotaUsage, services: HeldReplicas): QuotaUsage {
  return {
    running: tasks.running + services.replicas,
    gpus: tasks.gpus + services.gpus,
    pending: tasks.pending,
    serviceReplicas: services.replicas,
    serviceGpus: services.gpus,
  };
}
