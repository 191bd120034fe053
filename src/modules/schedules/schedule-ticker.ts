// The leader's loop over due schedules. A second leader for a moment is harmless (see
// schedule-firer.ts); the lock only saves the work of both trying.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { LeaderInterval, LeaderLoop } from '../../common/scheduling/leader-loop';
import { LEADER_LOCK, LeaderLock } from '../../infra/lock/leader-lock.port';
import { ScheduleClock } from './schedule-clock';
import { ScheduleFirer } from './schedule-firer';
import { ScheduleRepository } from './schedule.repository';

/** A second, the finest step a 6-field expression asks for. */
const TICK_MS = 1000;
/** Due schedules handled per pass; more wait for the next tick. */
const SCHEDULES_PER_PASS = 200;

@Injectable()
export class ScheduleTicker {
  private readonly logger = new Logger(ScheduleTicker.name);
  private readonly loop = new LeaderLoop({
    name: 'schedules',
    pass: () => this.pass(),
    isLeader: () => this.lock.isLeader,
  });

  constructor(
    private readonly schedules: ScheduleRepository,
    private readonly firer: ScheduleFirer,
    private readonly clock: ScheduleClock,
    @Inject(LEADER_LOCK) private readonly lock: LeaderLock,
  ) {}

  @LeaderInterval('schedules.fire', TICK_MS)
  tick(): Promise<void> {
    return this.loop.tick();
  }

  /** Runs a pass soon on the leader (tests, and a schedule just made due). */
  wake(): void {
    this.loop.wake();
  }

  /** One pass over every due schedule; exported for tests that drive time themselves. */
  async pass(): Promise<void> {
    const due = await this.schedules.due(this.clock.now(), SCHEDULES_PER_PASS);
    for (const schedule of due) {
      // leadership lost mid-pass: stop at the next schedule
      if (!this.lock.isLeader) return;
      // one broken schedule must not hold up the others
      await this.firer
        .fireDue(schedule)
        .catch((error: unknown) =>
          this.logger.error({ err: error, scheduleId: schedule.id }, 'a schedule could not fire'),
        );
    }
  }
}
