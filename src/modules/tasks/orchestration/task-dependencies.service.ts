// Dependencies between tasks: a task waits in `pending` until every task it depends on
// has succeeded, and fails at once when one of them ends any other way (the way
// "upstream failed" works in workflow engines), so nothing waits forever.
import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../../../common/errors/domain-error';
import { OwnershipPolicy, Principal } from '../../auth';
import { TaskDependencyRepository } from '../persistence/task-dependency.repository';
import { TaskRepository } from '../persistence/task.repository';
import { TaskLifecycle } from '../lifecycle/task-lifecycle';
import { FINAL_STATUSES, TaskStatus } from '../lifecycle/task-status';

/** Final statuses of a dependency that doom the tasks waiting for it. */
const BLOCKING = FINAL_STATUSES.filter((status) => status !== TaskStatus.Succeeded);

@Injectable()
export class TaskDependencies {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly dependencies: TaskDependencyRepository,
    private readonly policy: OwnershipPolicy,
    private readonly lifecycle: TaskLifecycle,
  ) {}

  /** Every id must name a task the caller can see (400 otherwise). */
  async check(principal: Principal, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const found = await this.tasks.ownersOf(ids);
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

  /** Fails pending tasks whose dependency ended without succeeding. Returns how many. */
  async failDoomed(): Promise<number> {
    const doomed = await this.dependencies.doomed(BLOCKING, 500);
    let failed = 0;
    for (const { taskId, dependsOnId, status } of doomed) {
      const reason = `task ${dependsOnId} it depends on ended ${status}`;
      if (await this.lifecycle.failBlocked(taskId, reason)) failed++;
    }
    return failed;
  }
}
