import { CronCalendar, InvalidCronError } from './cron-calendar';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe('CronCalendar', () => {
  describe('Europe/Berlin', () => {
    it('skips a daily time that falls in the spring-forward gap', () => {
      const calendar = new CronCalendar('30 2 * * *', 'Europe/Berlin');
      expect(iso(calendar.upcoming(new Date('2026-03-28T00:00:00Z'), 3))).toEqual([
        '2026-03-28T01:30:00.000Z', // 02:30 CET
        '2026-03-30T00:30:00.000Z', // 02:30 CEST; 29 March has no 02:30
        '2026-03-31T00:30:00.000Z',
      ]);
    });

    it('fires a daily time that repeats at fall-back once, at its first occurrence', () => {
      const calendar = new CronCalendar('30 2 * * *', 'Europe/Berlin');
      expect(iso(calendar.upcoming(new Date('2026-10-24T00:00:00Z'), 3))).toEqual([
        '2026-10-24T00:30:00.000Z',
        '2026-10-25T00:30:00.000Z', // 02:30 CEST, not again at 02:30 CET
        '2026-10-26T01:30:00.000Z',
      ]);
    });

    it('skips the hour that does not exist in an hourly schedule', () => {
      const calendar = new CronCalendar('0 * * * *', 'Europe/Berlin');
      // local 00:00, 01:00, then 03:00 CEST: 02:00 never happens
      expect(iso(calendar.upcoming(new Date('2026-03-28T22:30:00Z'), 3))).toEqual([
        '2026-03-28T23:00:00.000Z',
        '2026-03-29T00:00:00.000Z',
        '2026-03-29T01:00:00.000Z',
      ]);
    });

    it('fires the repeated hour of an hourly schedule once', () => {
      const calendar = new CronCalendar('0 * * * *', 'Europe/Berlin');
      // local 01:00 CEST, 02:00 CEST, then 03:00 CET: the second 02:00 (01:00Z) is skipped
      expect(iso(calendar.upcoming(new Date('2026-10-24T22:30:00Z'), 3))).toEqual([
        '2026-10-24T23:00:00.000Z',
        '2026-10-25T00:00:00.000Z',
        '2026-10-25T02:00:00.000Z',
      ]);
    });
  });

  describe('America/New_York', () => {
    it('skips a daily time that falls in the spring-forward gap', () => {
      const calendar = new CronCalendar('30 2 * * *', 'America/New_York');
      expect(iso(calendar.upcoming(new Date('2026-03-07T00:00:00Z'), 3))).toEqual([
        '2026-03-07T07:30:00.000Z', // 02:30 EST
        '2026-03-09T06:30:00.000Z', // 02:30 EDT; 8 March has no 02:30
        '2026-03-10T06:30:00.000Z',
      ]);
    });

    it('fires a time in the repeated hour at fall-back once, at its first occurrence', () => {
      const calendar = new CronCalendar('30 1 * * *', 'America/New_York');
      expect(iso(calendar.upcoming(new Date('2026-10-31T00:00:00Z'), 3))).toEqual([
        '2026-10-31T05:30:00.000Z',
        '2026-11-01T05:30:00.000Z', // 01:30 EDT, not again at 01:30 EST
        '2026-11-02T06:30:00.000Z',
      ]);
    });

    it('keeps every quarter hour outside the repeated hour on its fall-back day', () => {
      const calendar = new CronCalendar('*/15 * * * *', 'America/New_York');
      // local 01:45 EDT (05:45Z), then the repeated 01:00-01:45 EST is skipped, then 02:00 EST
      expect(iso(calendar.upcoming(new Date('2026-11-01T05:40:00Z'), 2))).toEqual([
        '2026-11-01T05:45:00.000Z',
        '2026-11-01T07:00:00.000Z',
      ]);
    });
  });

  it('reads six fields as seconds first', () => {
    const calendar = new CronCalendar('*/10 * * * * *', 'UTC');
    expect(iso(calendar.upcoming(new Date('2026-01-01T00:00:00Z'), 2))).toEqual([
      '2026-01-01T00:00:10.000Z',
      '2026-01-01T00:00:20.000Z',
    ]);
  });

  it.each([
    ['* * * *', 'UTC'],
    ['61 * * * *', 'UTC'],
    ['0 0 * * * * *', 'UTC'],
    ['0 * * * *', 'Mars/Olympus'],
    ['0 * * * *', 'EST'],
  ])('refuses the expression %s in zone %s', (expression, zone) => {
    expect(() => new CronCalendar(expression, zone)).toThrow(InvalidCronError);
  });
});
