// Authenticates a run by its KILN_RUN_TOKEN: valid only for its own task and attempt,
// and only while that attempt is the task's current, running one.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AttemptStatus, TaskAttempt } from '../persistence/entities/task-attempt.entity';
import { Task } from '../persistence/entities/task.entity';
import { RUN_TOKEN_PREFIX, hashRunToken } from './run-token';
import { TaskStatus } from '../lifecycle/task-status';
import { InvalidRunTokenError } from '../tasks.errors';

@Injectable()
export class RunAuth {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async verify(taskId: string, authorization: string | undefined): Promise<TaskAttempt> {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token?.startsWith(RUN_TOKEN_PREFIX)) throw new InvalidRunTokenError();
    const attempt = await this.dataSource.getRepository(TaskAttempt).findOneBy({
      taskId,
      runTokenHash: hashRunToken(token),
      status: AttemptStatus.Running,
    });
    if (!attempt) throw new InvalidRunTokenError();
    const current = await this.dataSource
      .getRepository(Task)
      .existsBy({ id: taskId, attempt: attempt.number, status: TaskStatus.Running });
    if (!current) throw new InvalidRunTokenError();
    return attempt;
  }
}
