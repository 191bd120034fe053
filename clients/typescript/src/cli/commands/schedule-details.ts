// A schedule for people: the `Key: value` lines `get` and `update` print.
import type { Schedule } from '../../types';
import type { DetailRows } from '../details';
import { age } from '../task-columns';

export function describeSchedule(schedule: Schedule): DetailRows {
  return [
    ['ID', schedule.id],
    ['Name', schedule.name],
    ['Cron', `${schedule.cron} (${schedule.timezone})`],
    ['Suspended', schedule.suspended ? 'yes' : 'no'],
    ['Concurrency', schedule.concurrencyPolicy],
    ['Next fires', schedule.nextFireTimes.join(', ') || undefined],
    ['Last task', schedule.lastTaskId ?? undefined],
    [
      'Recent fires',
      schedule.history
        .map((fire) => `${fire.scheduledAt} ${fire.outcome}${fire.taskId ? ` ${fire.taskId}` : ''}`)
        .join('\n  ') || undefined,
    ],
    ['Task', `${schedule.task.name}: ${(schedule.task.command ?? []).join(' ')}`],
    ['Created', `${schedule.createdAt} (${age(schedule.createdAt)} ago)`],
  ];
}
