// The task_dependencies table: which task waits for which.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { TaskStatus } from '../lifecycle/task-status';
import { TaskDependency } from './entities/task-dependency.entity';
import { Task } from './entities/task.entity';

/** SQL (for a query over `tasks t`) true when some dependency of t has not succeeded. */
export const HAS_UNMET_DEPENDENCY = `EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks p ON p.id = d.depends_on_id WHERE d.task_id = t.id AND p.status <> '${TaskStatus.Succeeded}')`;

export interface DoomedDependency {
  taskId: string;
  dependsOnId: string;
  status: TaskStatus;
}

@Injectable()
export class TaskDependencyRepository {
  constructor(
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    @InjectRepository(TaskDependency) private readonly dependencies: Repository<TaskDependency>,
  ) {}

  /** Within the caller's transaction: the task is written in the same one. */
  async insert(manager: EntityManager, taskId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.insert(
      TaskDependency,
      ids.map((dependsOnId) => ({ taskId, dependsOnId })),
    );
  }

  /** Dependencies of `taskId` that have not succeeded yet, with their status. */
  unmet(taskId: string): Promise<Array<Pick<Task, 'id' | 'status'>>> {
    return this.tasks
      .createQueryBuilder('p')
      .select(['p.id', 'p.status'])
      .innerJoin(TaskDependency, 'd', 'd.depends_on_id = p.id')
      .where('d.task_id = :taskId', { taskId })
      .andWhere('p.status <> :succeeded', { succeeded: TaskStatus.Succeeded })
      .getMany();
  }

  /** True when a pending task waits for `taskId`. */
  hasPendingDependents(taskId: string): Promise<boolean> {
    return this.tasks
      .createQueryBuilder('t')
      .innerJoin(TaskDependency, 'd', 'd.task_id = t.id')
      .where('d.depends_on_id = :taskId', { taskId })
      .andWhere('t.status = :pending', { pending: TaskStatus.Pending })
      .getExists();
  }

  /** Pending tasks waiting for a task that ended in one of `blocking`. */
  doomed(blocking: readonly TaskStatus[], limit: number): Promise<DoomedDependency[]> {
    return this.dependencies
      .createQueryBuilder('d')
      .select('d.task_id', 'taskId')
      .addSelect('d.depends_on_id', 'dependsOnId')
      .addSelect('p.status', 'status')
      .innerJoin(Task, 't', 't.id = d.task_id')
      .innerJoin(Task, 'p', 'p.id = d.depends_on_id')
      .where('t.status = :pending', { pending: TaskStatus.Pending })
      .andWhere('p.status IN (:...blocking)', { blocking })
      .limit(limit)
      .getRawMany();
  }
}
