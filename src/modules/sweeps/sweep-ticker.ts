// The leader's loop over running sweeps: each tick submits the trials parallelism
// allows and completes finished sweeps. A submit elsewhere (a trial that ended) is
// noticed at the next tick.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { LeaderInterval, LeaderLoop } from '../../common/scheduling/leader-loop';
import { LEADER_LOCK, LeaderLock } from '../../infra/lock/leader-lock.port';
import { SweepTrials } from './sweep-trials';
import { SweepRepository } from './sweep.repository';

const TICK_MS = 1000;
const SWEEPS_PER_PASS = 100;

@Injectable()
export class SweepTicker {
  private readonly logger = new Logger(SweepTicker.name);
  private readonly loop = new LeaderLoop({
    name: 'sweeps',
    pass: () => this.pass(),
    isLeader: () => this.lock.isLeader,
  });

  constructor(
    private readonly sweeps: SweepRepository,
    private readonly trials: SweepTrials,
    @Inject(LEADER_LOCK) private readonly lock: LeaderLock,
  ) {}

  @LeaderInterval('sweeps.advance', TICK_MS)
  tick(): Promise<void> {
    return this.loop.tick();
  }

  /** A pass soon on the leader: a sweep was just made. */
  wake(): void {
    this.loop.wake();
  }

  private async pass(): Promise<void> {
    for (const sweep of await this.sweeps.running(SWEEPS_PER_PASS)) {
      if (!this.lock.isLeader) return;
      await this.trials
        .advance(sweep)
        .catch((error: unknown) =>
          this.logger.error({ err: error, sweepId: sweep.id }, 'a sweep could not advance'),
        );
    }
  }
}
