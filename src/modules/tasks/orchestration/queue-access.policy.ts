// Who may submit to which queue. A run is untrusted code: on a queue whose executor
// cannot isolate runs from Kiln (local runs without the sandbox), only admins may submit
// unless the queue's `allowedRoles` says otherwise (docs/architecture.md, "Run isolation").
import { Injectable } from '@nestjs/common';
import { TaskQueue } from '../queues/task-queue';
import { ForbiddenError, Principal, Role, ROLES } from '../../auth';
import { RuntimeRegistry } from '../../runtimes';

@Injectable()
export class QueueAccessPolicy {
  constructor(private readonly executors: RuntimeRegistry) {}

  /** Throws ForbiddenError naming the queue when the caller may not put tasks on it. */
  assertCanSubmit(principal: Principal, queue: TaskQueue): void {
    if (queue.allowedUsers?.includes(principal.userId)) return;
    const allowed = this.allowedRoles(queue);
    if (principal.roles.some((role) => allowed.includes(role))) return;
    throw new ForbiddenError(
      `Queue ${queue.name} takes tasks from ${describe(allowed, queue.allowedUsers)} only.`,
    );
  }

  /**
   * The roles a queue takes: its own setting; else none when it names users; else all
   * when its runs are isolated.
   */
  allowedRoles(queue: TaskQueue): readonly Role[] {
    if (queue.allowedRoles) return queue.allowedRoles as Role[];
    if (queue.allowedUsers?.length) return [];
    const executor = this.executors.has(queue.runtime)
      ? this.executors.get(queue.runtime)
      : undefined;
    return executor?.isolatesRuns === false ? [Role.Admin] : ROLES;
  }
}

function describe(roles: readonly Role[], users: readonly string[] | undefined): string {
  const parts: string[] = [...roles];
  if (users?.length) parts.push(`${users.length} named user${users.length === 1 ? '' : 's'}`);
  return parts.join(', ') || 'nobody';
}
