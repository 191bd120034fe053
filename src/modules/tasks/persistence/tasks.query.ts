// Reads of tasks: the filtered, keyset-paginated list and, for a pending task, where it
// stands in its queue and why it waits.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';
import { HotQuery } from '../../../infra/database/hot-query';
import { LIKE_ESCAPE, escapeLike } from '../../../infra/database/sql-helpers';
import { CapacityService } from '../orchestration/capacity.service';
import { blockerOf } from '../orchestration/dispatch-plan';
import { ListTasksQuery } from '../api/dto/list-tasks.query';
import { WaitingResponse } from '../api/dto/task.response';
import { Task } from './entities/task.entity';
import { TaskDependencies } from '../orchestration/task-dependencies.service';
import { TaskStatus } from '../lifecycle/task-status';
import { decodeTaskCursor, encodeTaskCursor } from '../api/task-cursor';

export const DEFAULT_PAGE_SIZE = 50;

export interface TaskPage {
  items: Task[];
  nextCursor: string | null;
}

@Injectable()
export class TasksQuery {
  private readonly hotList: HotQuery<Task>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly capacity: CapacityService,
    private readonly dependencies: TaskDependencies,
  ) {
    this.hotList = new HotQuery<Task>(dataSource, 't');
  }

  /** `ownerId` set limits the list to that owner (members see only their own). */
  async list(query: ListTasksQuery, ownerId: string | undefined): Promise<TaskPage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const qb = this.dataSource.getRepository(Task).createQueryBuilder('t');
    const owner = ownerId ?? query.owner;
    if (owner) qb.andWhere('t.owner_id = :owner', { owner });
    if (query.status?.length) qb.andWhere('t.status IN (:...statuses)', { statuses: query.status });
    if (query.queue) qb.andWhere('t.queue = :queue', { queue: query.queue });
    if (query.nameContains) {
      qb.andWhere(`LOWER(t.name) LIKE :name ${LIKE_ESCAPE}`, {
        name: `%${escapeLike(query.nameContains.toLowerCase())}%`,
      });
    }
    if (query.createdAfter) qb.andWhere('t.created_at > :after', { after: query.createdAfter });
    if (query.createdBefore) qb.andWhere('t.created_at < :before', { before: query.createdBefore });
    query.label?.forEach((label, index) => this.whereLabel(qb, label, index));
    const byPriority = query.sort === 'priority';
    if (query.cursor) this.afterCursor(qb, query.cursor, byPriority);
    if (byPriority) {
      qb.orderBy('t.priority', 'DESC').addOrderBy('t.created_at', 'ASC').addOrderBy('t.id', 'ASC');
    } else {
      qb.orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC');
    }
    const shape = JSON.stringify([
      Boolean(owner),
      Boolean(query.status?.length),
      Boolean(query.queue),
      Boolean(query.nameContains),
      Boolean(query.createdAfter),
      Boolean(query.createdBefore),
      query.label?.length ?? 0,
      byPriority,
      Boolean(query.cursor),
      limit,
    ]);
    const rows = await this.hotList.getMany(qb.limit(limit + 1), shape);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > limit && last
        ? encodeTaskCursor({
            c: last.createdAt.toISOString(),
            id: last.id,
            ...(byPriority ? { p: last.priority } : {}),
          })
        : null;
    return { items, nextCursor };
  }

  async waiting(task: Task): Promise<WaitingResponse | undefined> {
    if (task.status !== TaskStatus.Pending) return undefined;
    const ahead = await this.dataSource
      .getRepository(Task)
      .createQueryBuilder('t')
      .where('t.status = :pending AND t.queue = :queue', {
        pending: TaskStatus.Pending,
        queue: task.queue,
      })
      .andWhere(
        new Brackets((or) =>
          or
            .where('t.priority > :priority', { priority: task.priority })
            .orWhere('(t.priority = :priority AND t.created_at < :created)', {
              created: task.createdAt,
            }),
        ),
      )
      .getCount();
    return { position: ahead + 1, reasons: await this.reasons(task) };
  }

  private async reasons(task: Task): Promise<string[]> {
    const reasons: string[] = [];
    const unmet = await this.dependencies.unmet(task.id);
    if (unmet.length) {
      reasons.push(
        `waiting for ${unmet.length === 1 ? 'a task' : 'tasks'} it depends on: ${unmet.map((d) => `${d.id} (${d.status})`).join(', ')}`,
      );
    }
    if (task.notBefore && task.notBefore > new Date()) {
      reasons.push(`retry backoff until ${task.notBefore.toISOString()}`);
    }
    const queue = this.capacity.queue(task.queue);
    const [usage, limits] = await Promise.all([
      this.capacity.usage(),
      this.capacity.limitsFor([task.ownerId]),
    ]);
    const queueUsage = usage.byQueue.get(task.queue) ?? { runs: 0, gpus: 0 };
    const userUsage = usage.byUser.get(task.ownerId) ?? { runs: 0, gpus: 0 };
    const userLimits = limits.get(task.ownerId)!;
    const blocker = blockerOf(task, queue, queueUsage, userLimits, userUsage);
    const explanations = {
      'queue-runs': `queue ${queue.name} is at capacity (${queueUsage.runs} of ${queue.maxRunning} runs)`,
      'queue-gpus': `queue ${queue.name} has ${queue.maxGpus - queueUsage.gpus} of ${queue.maxGpus} GPUs free; the task needs ${task.gpu}`,
      'user-runs': `the owner's quota is reached (${userUsage.runs} of ${userLimits.maxRunning} runs)`,
      'user-gpus': `the owner's GPU quota is reached (${userUsage.gpus} of ${userLimits.maxGpus} GPUs in use; the task needs ${task.gpu})`,
    };
    if (blocker) reasons.push(explanations[blocker]);
    if (reasons.length === 0)
      reasons.push('waiting for the dispatcher (tasks ahead in the queue go first)');
    return reasons;
  }

  private whereLabel(qb: SelectQueryBuilder<Task>, label: string, index: number): void {
    const split = label.indexOf('=');
    qb.andWhere(
      `EXISTS (SELECT 1 FROM task_labels l${index} WHERE l${index}.task_id = t.id AND l${index}.key = :lk${index} AND l${index}.value = :lv${index})`,
      { [`lk${index}`]: label.slice(0, split), [`lv${index}`]: label.slice(split + 1) },
    );
  }

  private afterCursor(qb: SelectQueryBuilder<Task>, text: string, byPriority: boolean): void {
    const cursor = decodeTaskCursor(text);
    const params = { cc: new Date(cursor.c), cid: cursor.id, cp: cursor.p ?? 0 };
    qb.andWhere(
      byPriority
        ? '(t.priority < :cp OR (t.priority = :cp AND (t.created_at > :cc OR (t.created_at = :cc AND t.id > :cid))))'
        : '(t.created_at < :cc OR (t.created_at = :cc AND t.id < :cid))',
      params,
    );
  }
}
