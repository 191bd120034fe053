import { CronCalendar } from './cron-calendar';
import { planDue } from './due-times';

const everyMinute = new CronCalendar('* * * * *', 'UTC');
const at = (time: string) => new Date(`2030-06-01T${time}Z`);
const iso = (dates: Date[]) => dates.map((date) => date.toISOString().slice(11, 19));

describe('planDue', () => {
  it('fires the one due time on time and waits for the next', () => {
    const plan = planDue({
      calendar: everyMinute,
      from: at('10:01:00'),
      now: at('10:01:00.300'),
      startingDeadlineSeconds: null,
      maxMissed: 20,
    });
    expect(plan.fire).toEqual(at('10:01:00'));
    expect(plan.missed).toEqual([]);
    expect(plan.next).toEqual(at('10:02:00'));
  });

  it('fires only the latest of several missed times and lists the older as missed', () => {
    const plan = planDue({
      calendar: everyMinute,
      from: at('10:01:00'),
      now: at('10:04:30'),
      startingDeadlineSeconds: 60,
      maxMissed: 20,
    });
    expect(plan.fire).toEqual(at('10:04:00'));
    expect(iso(plan.missed)).toEqual(['10:01:00', '10:02:00', '10:03:00']);
  });

  it('fires nothing once the latest time is past the starting deadline', () => {
    const plan = planDue({
      calendar: everyMinute,
      from: at('10:01:00'),
      now: at('10:02:45'),
      startingDeadlineSeconds: 30,
      maxMissed: 20,
    });
    expect(plan.fire).toBeNull();
    expect(iso(plan.missed)).toEqual(['10:01:00', '10:02:00']);
  });

  it('lists at most maxMissed of the newest missed times and counts the rest', () => {
    const plan = planDue({
      calendar: everyMinute,
      from: at('10:00:00'),
      now: at('11:00:10'),
      startingDeadlineSeconds: null,
      maxMissed: 5,
    });
    expect(plan.fire).toEqual(at('11:00:00'));
    expect(iso(plan.missed)).toEqual(['10:55:00', '10:56:00', '10:57:00', '10:58:00', '10:59:00']);
    expect(plan.missedUnlisted).toBe(55);
    expect(plan.lookbackCut).toBe(false);
  });

  it('does not walk back further than a day after a long stop', () => {
    const plan = planDue({
      calendar: everyMinute,
      from: new Date('2030-05-01T00:00:00Z'),
      now: at('10:00:10'),
      startingDeadlineSeconds: null,
      maxMissed: 3,
    });
    expect(plan.fire).toEqual(at('10:00:00'));
    expect(plan.lookbackCut).toBe(true);
    expect(plan.missedUnlisted).toBeLessThanOrEqual(24 * 60);
  });
});
