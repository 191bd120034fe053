// The times a cron expression names in an IANA time zone. croner parses and steps
// through the expression; the DST rule on top is Kiln's, the same for every expression
// (croner follows Vixie cron, which shifts some jobs out of a gap and runs others
// twice in a repeated hour):
//   - a local time that does not exist (the clock jumps over it) is skipped;
//   - a local time that exists twice (the clock falls back over it) fires once, at its
//     first occurrence.
import { Cron } from 'croner';

/** Steps taken past skipped candidates before giving up; far above any DST transition. */
const MAX_SKIPPED_CANDIDATES = 10_000;
/** Longer than any DST shift (at most two hours), to read the offset before a change. */
const BEFORE_ANY_SHIFT_MS = 3 * 3600_000;

export class InvalidCronError extends Error {}

export class CronCalendar {
  private readonly cron: Cron;

  /** Throws InvalidCronError when the expression or the zone is not valid. */
  constructor(
    readonly expression: string,
    readonly timezone: string,
  ) {
    assertZone(timezone);
    const fields = expression.trim().split(/\s+/).length;
    if (fields !== 5 && fields !== 6) {
      throw new InvalidCronError('must have 5 fields, or 6 with seconds first');
    }
    try {
      this.cron = new Cron(expression, {
        timezone,
        paused: true,
        mode: fields === 6 ? '6-part' : '5-part',
      });
    } catch (error) {
      throw new InvalidCronError((error as Error).message);
    }
  }

  /** The first fire time strictly after `after`, or null when there is none. */
  next(after: Date): Date | null {
    let from = after;
    for (let step = 0; step < MAX_SKIPPED_CANDIDATES; step++) {
      const candidate = this.cron.nextRun(from);
      if (!candidate) return null;
      if (this.fires(candidate)) return candidate;
      from = candidate;
    }
    return null;
  }

  /** The next `count` fire times after `after`. */
  upcoming(after: Date, count: number): Date[] {
    const times: Date[] = [];
    let from = after;
    while (times.length < count) {
      const time = this.next(from);
      if (!time) break;
      times.push(time);
      from = time;
    }
    return times;
  }

  private fires(candidate: Date): boolean {
    // croner moves a fixed time out of a gap to just after it, where it no longer matches
    if (!this.cron.match(candidate)) return false;
    return !this.repeatsEarlierTime(candidate);
  }

  /** True when the same local time already happened earlier, before the clock fell back. */
  private repeatsEarlierTime(instant: Date): boolean {
    const shift =
      offsetMs(this.timezone, new Date(instant.getTime() - BEFORE_ANY_SHIFT_MS)) -
      offsetMs(this.timezone, instant);
    if (shift <= 0) return false;
    const earlier = new Date(instant.getTime() - shift);
    return localTime(this.timezone, earlier) === localTime(this.timezone, instant);
  }
}

function assertZone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new InvalidCronError(`unknown time zone ${timezone}`);
  }
  if (!timezone.includes('/') && timezone !== 'UTC') {
    // Intl also takes abbreviations and offsets, which do not follow a zone's DST rules
    throw new InvalidCronError('must be an IANA time zone name such as Europe/Berlin or UTC');
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The wall-clock time at `instant` in `timezone`, to the second, as comparable text. */
function localTime(timezone: string, instant: Date): string {
  return formatterOf(timezone).format(instant);
}

/** How far the zone's wall clock is ahead of UTC at `instant`. */
function offsetMs(timezone: string, instant: Date): number {
  const parts = Object.fromEntries(
    formatterOf(timezone)
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}
