// What another module (model services) may learn about a trained model: the file or
// directory a succeeded task's run wrote, resolved to the attempt that produced it, so
// the caller can pin it. Ownership is the caller's: a task it may not read is not found.
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { Injectable } from '@nestjs/common';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import type { Principal } from '../../auth';
import { TasksService } from '../api/tasks.service';
import { TaskStatus } from '../lifecycle/task-status';
import { ArtifactNotFoundError } from './artifact-not-found.error';

export interface TrainedModel {
  taskId: string;
  /** The attempt whose output holds the model. */
  attempt: number;
  /** As asked, relative to the run's output directory (`.` for all of it). */
  path: string;
  /** Absolute path on the host running the local runtime. */
  hostPath: string;
  /** The run's output directory, absolute. */
  outputDir: string;
  isDirectory: boolean;
}

/** The task has not succeeded, so it has no model to serve. */
export class TaskNotSucceededError extends DomainError {
  readonly status = 409;
  readonly slug = 'task-not-succeeded';

  constructor(status: string) {
    super(`The task is ${status}; only a succeeded task's artifacts can be served.`);
  }
}

@Injectable()
export class TrainedModels {
  constructor(private readonly tasks: TasksService) {}

  /**
   * The model at `path` in the output of the attempt that made `taskId` succeed. Throws
   * NotFoundError for a task the caller may not read, TaskNotSucceededError, or
   * ArtifactNotFoundError for a path that is missing or leaves the output directory.
   */
  async resolve(principal: Principal, taskId: string, path: string): Promise<TrainedModel> {
    const task = await this.tasks.get(principal, taskId);
    if (task.status !== TaskStatus.Succeeded) throw new TaskNotSucceededError(task.status);
    const attempt = await this.tasks.attemptOf(task);
    const outputDir = attempt?.handle?.outputDir;
    if (!attempt || !outputDir) throw new NotFoundError('The task kept no output directory.');
    const root = await realpath(outputDir).catch(() => undefined);
    if (!root) throw new ArtifactNotFoundError(path);
    const target = await realpath(join(root, path)).catch(() => undefined);
    if (!target || !isInside(root, target)) throw new ArtifactNotFoundError(path);
    const stats = await stat(target);
    if (!stats.isFile() && !stats.isDirectory()) throw new ArtifactNotFoundError(path);
    return {
      taskId,
      attempt: attempt.number,
      path,
      hostPath: target,
      outputDir: root,
      isDirectory: stats.isDirectory(),
    };
  }
}

function isInside(root: string, target: string): boolean {
  const path = relative(root, target);
  return path === '' || (!path.startsWith(`..${sep}`) && path !== '..' && !isAbsolute(path));
}
