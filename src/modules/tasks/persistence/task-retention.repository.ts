// The SQL of task retention: which finished tasks may go, and their removal. Each
// statement touches one batch of rows, found through the primary key, so none holds the
// tasks table for long.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { FINAL_STATUSES } from '../lifecycle/task-status';
import { TaskAttempt } from './entities/task-attempt.entity';
import { TaskDependency } from './entities/task-dependency.entity';
import { Task } from './entities/task.entity';

export type LaunchedAttempt = Pick<TaskAttempt, 'taskId' | 'executor' | 'handle'>;

@Injectable()
export class TaskRetentionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Up to `limit` tasks that finished before `cutoff`, oldest first, leaving out `held`
   * ones and those an unfinished task still depends on.
   */
  async expired(cutoff: Date, held: ReadonlySet<string>, limit: number): Promise<string[]> {
    const query = this.dataSource
      .getRepository(Task)
      .createQueryBuilder('t')
      .select('t.id', 'id')
      .where('t.status IN (:...final)', { final: FINAL_STATUSES })
      .andWhere('t.finished_at < :cutoff', { cutoff })
      .andWhere((outer) => {
        const dependents = outer
          .subQuery()
          .select('1')
          .from(TaskDependency, 'd')
          .innerJoin(Task, 'dependent', 'dependent.id = d.task_id')
          .where('d.depends_on_id = t.id')
          .andWhere('dependent.status NOT IN (:...final)')
          .getQuery();
        return `NOT EXISTS ${dependents}`;
      })
      .orderBy('t.finished_at', 'ASC')
      .limit(limit);
    if (held.size) query.andWhere('t.id NOT IN (:...held)', { held: [...held] });
    const rows = await query.getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  /** The attempts of `taskIds` that launched a run, whose files go with them. */
  launchedAttempts(taskIds: readonly string[]): Promise<LaunchedAttempt[]> {
    return this.dataSource.getRepository(TaskAttempt).find({
      where: { taskId: In([...taskIds]), handle: Not(IsNull()) },
      select: { taskId: true, executor: true, handle: true },
    });
  }

  /**
   * Deletes those of `taskIds` still final, with every row about them (the foreign keys
   * cascade); returns how many went.
   */
  async delete(taskIds: readonly string[]): Promise<number> {
    const result = await this.dataSource
      .getRepository(Task)
      .createQueryBuilder()
      .delete()
      .where('id IN (:...ids)', { ids: [...taskIds] })
      .andWhere('status IN (:...final)', { final: FINAL_STATUSES })
      .execute();
    return result.affected ?? 0;
  }
}
