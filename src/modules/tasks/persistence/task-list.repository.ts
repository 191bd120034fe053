// The task list: filtered and keyset-paginated, on the hot path of every dashboard.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { KeysetPage, keysetPage } from '../../../common/pagination/keyset-page';
import { DEFAULT_PAGE_SIZE } from '../../../common/pagination/page.query';
import { HotQuery } from '../../../infra/database/hot-query';
import { LIKE_ESCAPE, escapeLike } from '../../../infra/database/sql-helpers';
import { ListTasksQuery } from '../api/dto/list-tasks.query';
import { Task } from './entities/task.entity';
import { decodeTaskCursor, encodeTaskCursor } from '../api/task-cursor';

export type TaskPage = KeysetPage<Task>;

@Injectable()
export class TaskListRepository {
  private readonly hotList: HotQuery<Task>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
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
    return keysetPage(rows, limit, (last) =>
      encodeTaskCursor({
        c: last.createdAt.toISOString(),
        id: last.id,
        ...(byPriority ? { p: last.priority } : {}),
      }),
    );
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
