// The task_events table: the history of every task, and what the SSE feed reads.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, MoreThan, Repository } from 'typeorm';
import { TaskEvent } from './entities/task-event.entity';
import type { Task } from './entities/task.entity';

/** The actor of changes Kiln makes by itself (dispatcher, worker, reconciler). */
export const SYSTEM_ACTOR = 'system';

@Injectable()
export class TaskEventRepository {
  constructor(@InjectRepository(TaskEvent) private readonly events: Repository<TaskEvent>) {}

  /** Writes an event about `task` as it is now; `manager` joins a caller's transaction. */
  insert(
    task: Task,
    fields: Partial<TaskEvent>,
    manager: EntityManager = this.events.manager,
  ): Promise<TaskEvent> {
    // no transaction of its own: on SQLite's one shared connection it would interleave with
    // the serialized ones (infra/database/transaction.ts); a caller's manager brings its own
    return manager.save(eventOf(task, fields), { transaction: false });
  }

  /** Events after `afterId`, oldest first. */
  after(afterId: number, limit: number): Promise<TaskEvent[]> {
    return this.events.find({
      where: { id: MoreThan(afterId) },
      order: { id: 'ASC' },
      take: limit,
    });
  }

  forTask(taskId: string): Promise<TaskEvent[]> {
    return this.events.find({ where: { taskId }, order: { id: 'ASC' } });
  }

  async maxId(): Promise<number> {
    const row = await this.events
      .createQueryBuilder('e')
      .select('MAX(e.id)', 'max')
      .getRawOne<{ max: number | string | null }>();
    return Number(row?.max ?? 0);
  }
}

/** An event row about `task` as it is now (its status is the event's `to`). */
export function eventOf(task: Task, fields: Partial<TaskEvent>): TaskEvent {
  return Object.assign(new TaskEvent(), {
    taskId: task.id,
    ownerId: task.ownerId,
    kind: 'status',
    fromStatus: null,
    toStatus: task.status,
    attempt: null,
    progressPermille: null,
    actor: SYSTEM_ACTOR,
    reason: null,
    ...fields,
  });
}
