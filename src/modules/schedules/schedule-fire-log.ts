// The fires that submitted a task or failed to, read in order by other modules
// (webhooks) as plain records: the entities stay private to the schedules module.
import { Injectable } from '@nestjs/common';
import { FireOutcome } from './fire-outcome';
import { ScheduleRepository } from './schedule.repository';

export interface ScheduleFireRecord {
  id: string;
  scheduleId: string;
  scheduleName: string;
  ownerId: string;
  scheduledAt: Date;
  /** When it fired: the log's order. */
  firedAt: Date;
  outcome: 'submitted' | 'failed';
  /** The task submitted; null when the fire failed. */
  taskId: string | null;
  reason: string | null;
}

const TOLD_OUTCOMES = [FireOutcome.Submitted, FireOutcome.Failed] as const;

@Injectable()
export class ScheduleFireLog {
  constructor(private readonly schedules: ScheduleRepository) {}

  /**
   * Fires that submitted a task or failed, after `after` up to `until`, oldest first. A
   * fire of a schedule deleted since is gone with its schedule.
   */
  async between(after: Date, until: Date, limit: number): Promise<ScheduleFireRecord[]> {
    const rows = await this.schedules.firesBetween(after, until, TOLD_OUTCOMES, limit);
    return rows.map(({ fire, schedule }) => ({
      id: fire.id,
      scheduleId: schedule.id,
      scheduleName: schedule.name,
      ownerId: schedule.ownerId,
      scheduledAt: new Date(fire.scheduledAt),
      firedAt: new Date(fire.firedAt),
      outcome: fire.outcome === FireOutcome.Submitted ? 'submitted' : 'failed',
      taskId: fire.taskId,
      reason: fire.reason,
    }));
  }
}
