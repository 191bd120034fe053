// The task event log read in order by other modules (webhooks), as plain records: the
// entity stays private to the tasks module.
import { Injectable } from '@nestjs/common';
import type { TaskStatus } from '../lifecycle/task-status';
import { TaskEventRepository } from '../persistence/task-event.repository';

export interface TaskStatusRecord {
  /** Increasing; the position in the log. */
  id: number;
  taskId: string;
  ownerId: string;
  kind: 'status' | 'progress';
  from: TaskStatus | null;
  to: TaskStatus;
  attempt: number | null;
  actor: string;
  reason: string | null;
  occurredAt: Date;
}

@Injectable()
export class TaskEventLog {
  constructor(private readonly events: TaskEventRepository) {}

  /** Events after `afterId`, oldest first. */
  async after(afterId: number, limit: number): Promise<TaskStatusRecord[]> {
    const rows = await this.events.after(afterId, limit);
    return rows.map((row) => ({
      id: row.id,
      taskId: row.taskId,
      ownerId: row.ownerId,
      kind: row.kind,
      from: row.fromStatus,
      to: row.toStatus,
      attempt: row.attempt,
      actor: row.actor,
      reason: row.reason,
      occurredAt: row.occurredAt,
    }));
  }

  lastId(): Promise<number> {
    return this.events.maxId();
  }
}
