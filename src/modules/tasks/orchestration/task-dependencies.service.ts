// Dependencies between tasks: a task waits in `pending` until every task it depends on
// has succeeded, and fails at once when one of them ends any other way (the way
// "upstream failed" works in workflow engines), so nothing waits forever.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { InvalidInputError } from '../../../common/errors/domain-error';
import { OwnershipPolicy, Principal } from '../../auth';
import { TaskDependency } from '../persistence/entities/task-dependency.entity';
import { Task } from '../persistence/entities/task.entity';
import { SYSTEM_ACTOR, TaskTransitions } from '../lifecycle/task-transitions.service';
import { FINAL_STATUSES, TaskStatus } from '../lifecycle/task-status';

/** Final statuses of a dependency that doom the tasks waiting for it. */
const BLOCKING = FINAL_STATUSES.filter((status) => status !== TaskStatus.Succeeded);

/** SQL (for a query over `tasks t`) true when some dependency of t has not succeeded. */
export const HAS_UNMET_DEPENDENCY = `EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks p ON p.id = d.depends_on_id WHERE d.task_id = t.id AND p.status <> '${TaskStatus.Succeeded}')`;

@Injectable()
export class TaskDependencies {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: OwnershipPolicy,
    private readonly transitions: TaskTransitions,
  ) {}

  /** Every id must name a task the caller can see (400 otherwise). */
  async check(principal: Principal, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const found = await this.dataSource
      .getRepository(Task)
      .find({ where: { id: In([...ids]) }, select: { id: true, ownerId: true } });
    const visible = new Set(
      found.filter((task) => this.policy.canSee(principal, task.ownerId)).map((task) => task.id),
    );
    const unknown = ids.filter((id) => !visible.has(id));
    if (unknown.length) {
      throw new InvalidInputError('A task this one depends on does not exist.', [
        { field: 'dependsOn', message: `unknown task ${unknown.join(', ')}` },
      ]);
    }
  }

  async record(manager: EntityManager, taskId: string, ids: readonly string[]): Promise<void> {
    if (ids.length) {
      await manager.insert(
        TaskDependency,
        ids.map((dependsOnId) => ({ taskId, dependsOnId })),
      );
    }
  }

  /** Dependencies of `taskId` that have not succeeded yet, with their status. */
  async unmet(taskId: string): Promise<Array<{ id: string; status: TaskStatus }>> {
    return this.dataSource
      .getRepository(Task)
      .createQueryBuilder('p')
      .select(['p.id', 'p.status'])
      .innerJoin(TaskDependency, 'd', 'd.depends_on_id = p.id')
      .where('d.task_id = :taskId', { taskId })
      .andWhere('p.status <> :succeeded', { succeeded: TaskStatus.Succeeded })
      .getMany();
  }

  /** True when a task that has not finished waits for `taskId`. */
  async hasWaitingDependents(taskId: string): Promise<boolean> {
    return this.dataSource
      .getRepository(Task)
      .createQueryBuilder('t')
      .innerJoin(TaskDependency, 'd', 'd.task_id = t.id')
      .where('d.depends_on_id = :taskId', { taskId })
      .andWhere('t.status = :pending', { pending: TaskStatus.Pending })
      .getExists();
  }

  /** Fails pending tasks whose dependency ended without succeeding. Returns how many. */
  async failDoomed(): Promise<number> {
    const doomed: Array<{ taskId: string; dependsOnId: string; status: TaskStatus }> =
      await this.dataSource
        .getRepository(TaskDependency)
        .createQueryBuilder('d')
        .select('d.task_id', 'taskId')
        .addSelect('d.depends_on_id', 'dependsOnId')
        .addSelect('p.status', 'status')
        .innerJoin(Task, 't', 't.id = d.task_id')
        .innerJoin(Task, 'p', 'p.id = d.depends_on_id')
        .where('t.status = :pending', { pending: TaskStatus.Pending })
        .andWhere('p.status IN (:...blocking)', { blocking: BLOCKING })
        .limit(500)
        .getRawMany();
    let failed = 0;
    for (const { taskId, dependsOnId, status } of doomed) {
      const reason = `task ${dependsOnId} it depends on ended ${status}`;
      const moved = await this.transitions.move(taskId, {
        to: TaskStatus.Failed,
        from: [TaskStatus.Pending],
        actor: SYSTEM_ACTOR,
        reason,
        patch: { failureReason: reason, finishedAt: new Date() },
      });
      if (moved) failed++;
    }
    return failed;
  }
}
