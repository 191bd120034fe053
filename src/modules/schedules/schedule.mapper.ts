// Entities to API views.
import { TaskSpec } from '../tasks';
import type { ScheduleFireResponse, ScheduleResponse } from './dto/schedule.response';
import type { ScheduleFire } from './schedule-fire.entity';
import type { Schedule } from './schedule.entity';

export interface ScheduleView {
  nextFireTimes: Date[];
  history: ScheduleFire[];
  /** Whether the reader may see the template's env (the owner and admins). */
  showEnv: boolean;
}

export function toScheduleResponse(schedule: Schedule, view: ScheduleView): ScheduleResponse {
  return {
    id: schedule.id,
    ownerId: schedule.ownerId,
    name: schedule.name,
    cron: schedule.cron,
    timezone: schedule.timezone,
    task: TaskSpec.toRequest(schedule.template, { withEnv: view.showEnv }),
    concurrencyPolicy: schedule.concurrencyPolicy,
    startingDeadlineSeconds: schedule.startingDeadlineSeconds,
    suspended: schedule.suspended,
    historyLimit: schedule.historyLimit,
    nextFireTimes: view.nextFireTimes.map((time) => time.toISOString()),
    lastTaskId: schedule.lastTaskId,
    history: view.history.map(toFireResponse),
    version: schedule.version,
    createdAt: new Date(schedule.createdAt).toISOString(),
    updatedAt: new Date(schedule.updatedAt).toISOString(),
  };
}

export function toFireResponse(fire: ScheduleFire): ScheduleFireResponse {
  return {
    id: fire.id,
    scheduledAt: new Date(fire.scheduledAt).toISOString(),
    firedAt: new Date(fire.firedAt).toISOString(),
    kind: fire.kind,
    outcome: fire.outcome,
    reason: fire.reason,
    taskId: fire.taskId,
  };
}
