// Who may submit to which queue. A run is untrusted code: on a queue whose executor
// cannot isolate runs from Kiln (local runs without the sandbox), only admins may submit
// unless the queue's `allowedRoles` says otherwise (docs/architecture.md, "Run isolation").
import { Injectable } from '@nestjs/common';
import { TaskQueueConfig } from '../../../config/sections/tasks.config';
import { ForbiddenError, Principal, Role, ROLES } from '../../auth';
import { RuntimeRegistry } from '../../runtimes';

@Injectable()
export class QueueAccessPolicy {
  constructor(private readonly executors: RuntimeRegistry) {}

  /** Throws ForbiddenError naming the queue when the caller may not put tasks on it. */
  assertCanSubmit(principal: Principal, queue: TaskQueueConfig): void {
    const allowed = this.allowedRoles(queue);
    if (principal.roles.some((role) => allowed.includes(role))) return;
    throw new ForbiddenError(
      `Queue ${queue.name} takes tasks from ${allowed.join(', ') || 'nobody'} only.`,
    );
  }

  /** The roles a queue takes: its own setting, else all when its runs are isolated. */
  allowedRoles(queue: TaskQueueConfig): readonly Role[] {
    if (queue.allowedRoles) return queue.allowedRoles as Role[];
    const executor = this.executors.has(queue.runtime)
      ? this.executors.get(queue.runtime)
      : undefined;
    return executor?.isolatesRuns === false ? [Role.Admin] : ROLES;
  }
}
