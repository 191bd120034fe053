// The one timestamp format of the API: RFC 3339 (the ISO-8601 profile with a full date,
// a time and an offset), years 1 to 9999. Looser ISO-8601 forms (week dates, ordinal
// dates, basic format, comma fractions) parse differently or not at all across
// JavaScript and the databases, and a date PostgreSQL refuses must not get past the edge.
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDate, isRFC3339 } from 'class-validator';

export const TIMESTAMP_MESSAGE =
  'must be an RFC 3339 date-time with an offset, such as 2030-01-01T00:00:00Z';

/** The instant `text` names, or undefined unless it is a valid RFC 3339 date-time. */
export function parseTimestamp(text: string): Date | undefined {
  if (!isRFC3339(text)) return undefined;
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) return undefined;
  if (!dayExists(text)) return undefined;
  const year = time.getUTCFullYear();
  return year >= 1 && year <= 9999 ? time : undefined;
}

/** JavaScript rolls 2030-02-30 over to March; the API refuses it. */
function dayExists(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

/** A request field holding a timestamp: a Date after validation, a 400 unless RFC 3339. */
export const IsTimestamp = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (parseTimestamp(value) ?? value) : value,
    ),
    IsDate({ message: TIMESTAMP_MESSAGE }),
  );
