// What each user's tasks hold now: active runs, their GPUs and pending tasks.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ACTIVE_STATUSES, TaskStatus } from '../lifecycle/task-status';
import { Task } from '../persistence/entities/task.entity';

/** What a user holds of their quota. */
export interface QuotaUsage {
  /** Task runs holding a slot and model service replicas: what counts against maxRunning. */
  running: number;
  /** Their GPUs: what counts against maxGpus. */
  gpus: number;
  pending: number;
  /** The model services' part of `running`: their wanted replicas. */
  serviceReplicas: number;
  /** The model services' part of `gpus`: replicas × GPUs per replica. */
  serviceGpus: number;
}

/** A user's tasks' part of their usage. */
export type TaskQuotaUsage = Pick<QuotaUsage, 'running' | 'gpus' | 'pending'>;

type UsageRow = Record<'ownerId' | 'running' | 'gpus' | 'pending', string | number>;

@Injectable()
export class QuotaUsageRepository {
  constructor(@InjectRepository(Task) private readonly tasks: Repository<Task>) {}

  /** Usage of the given users, or of every user holding something when `userIds` is absent. */
  async byUser(userIds?: readonly string[]): Promise<Map<string, TaskQuotaUsage>> {
    if (userIds?.length === 0) return new Map();
    const query = this.tasks
      .createQueryBuilder('t')
      .select('t.owner_id', 'ownerId')
      .addSelect(
        'COALESCE(SUM(CASE WHEN t.status IN (:...active) THEN 1 ELSE 0 END), 0)',
        'running',
      )
      .addSelect(
        'COALESCE(SUM(CASE WHEN t.status IN (:...active) THEN t.gpu ELSE 0 END), 0)',
        'gpus',
      )
      .addSelect('COALESCE(SUM(CASE WHEN t.status = :pending THEN 1 ELSE 0 END), 0)', 'pending')
      .where('t.status IN (:...live)', { live: [TaskStatus.Pending, ...ACTIVE_STATUSES] })
      .setParameters({ active: ACTIVE_STATUSES, pending: TaskStatus.Pending })
      .groupBy('t.owner_id');
    if (userIds) query.andWhere('t.owner_id IN (:...userIds)', { userIds });
    const rows = await query.getRawMany<UsageRow>();
    return new Map(
      rows.map((row) => [
        String(row.ownerId),
        { running: Number(row.running), gpus: Number(row.gpus), pending: Number(row.pending) },
      ]),
    );
  }
}
