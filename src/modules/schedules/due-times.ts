// Which scheduled times have come since a schedule was last handled, and which of them
// still fire: only the latest, and only within the starting deadline. Older ones were
// missed (no Kiln ran, or a leader change took longer than the gap between times).
import type { CronCalendar } from './cron-calendar';

/** Times further back than this are not looked at one by one after a long stop. */
export const MAX_LOOKBACK_MS = 24 * 3600_000;

export interface DuePlan {
  /** The time to fire now, if any. */
  fire: Date | null;
  /** Times that came and will not fire, oldest first, at most `maxMissed`. */
  missed: Date[];
  /** How many more missed times were not listed. */
  missedUnlisted: number;
  /** True when times older than MAX_LOOKBACK_MS were passed over without counting them. */
  lookbackCut: boolean;
  /** The first time after now: where the schedule waits next. */
  next: Date | null;
}

export interface DueInput {
  calendar: CronCalendar;
  /** The oldest time not yet handled (itself due). */
  from: Date;
  now: Date;
  startingDeadlineSeconds: number | null;
  maxMissed: number;
}

export function planDue(input: DueInput): DuePlan {
  const { calendar, now } = input;
  const due = dueTimes(calendar, input.from, now);
  const latest = due.length ? due[due.length - 1] : null;
  const late = latest !== null && isPastDeadline(latest, now, input.startingDeadlineSeconds);
  const missed = late ? due : due.slice(0, -1);
  const listed = missed.slice(-input.maxMissed);
  return {
    fire: late ? null : latest,
    missed: listed,
    missedUnlisted: missed.length - listed.length,
    lookbackCut: now.getTime() - input.from.getTime() > MAX_LOOKBACK_MS,
    next: calendar.next(now),
  };
}

function dueTimes(calendar: CronCalendar, from: Date, now: Date): Date[] {
  const start = new Date(Math.max(from.getTime(), now.getTime() - MAX_LOOKBACK_MS));
  const times: Date[] = [];
  // `from` itself is due; the calendar steps strictly after its argument
  let time: Date | null = start.getTime() === from.getTime() ? from : calendar.next(start);
  while (time && time <= now) {
    times.push(time);
    time = calendar.next(time);
  }
  return times;
}

function isPastDeadline(time: Date, now: Date, deadlineSeconds: number | null): boolean {
  return deadlineSeconds !== null && now.getTime() - time.getTime() > deadlineSeconds * 1000;
}
