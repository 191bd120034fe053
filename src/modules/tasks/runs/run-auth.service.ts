// Authenticates a run by its KILN_RUN_TOKEN: valid only for its own task and attempt,
// and only while that attempt is the task's current, running one.
import { Injectable } from '@nestjs/common';
import { TaskAttempt } from '../persistence/entities/task-attempt.entity';
import { TaskAttemptRepository } from '../persistence/task-attempt.repository';
import { TaskRepository } from '../persistence/task.repository';
import { RUN_TOKEN_PREFIX, hashRunToken } from './run-token';
import { InvalidRunTokenError } from '../tasks.errors';

@Injectable()
export class RunAuth {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly attempts: TaskAttemptRepository,
  ) {}

  async verify(taskId: string, authorization: string | undefined): Promise<TaskAttempt> {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token?.startsWith(RUN_TOKEN_PREFIX)) throw new InvalidRunTokenError();
    const attempt = await this.attempts.runningWithToken(taskId, hashRunToken(token));
    if (!attempt) throw new InvalidRunTokenError();
    if (!(await this.tasks.isRunning(taskId, attempt.number))) throw new InvalidRunTokenError();
    return attempt;
  }
}
