// The skeleton of a leader-only loop: a pass that runs on an interval tick and, sooner,
// whenever something wakes it. Wakes and ticks that arrive while a pass runs fold into
// one more pass; a failed pass is logged and the next wake or tick tries again.
import { applyDecorators, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { CoalescingRunner } from './coalescing-runner';
import { LeaderOnly } from './leader-only.decorator';

export interface LeaderLoopOptions {
  /** Labels the failure log, e.g. `dispatch`. */
  name: string;
  pass: () => Promise<void>;
  /** Read at every wake and before every repeated pass. */
  isLeader: () => boolean;
}

export class LeaderLoop {
  private readonly logger: Logger;
  private readonly runner: CoalescingRunner;

  constructor(private readonly options: LeaderLoopOptions) {
    this.logger = new Logger(`LeaderLoop:${options.name}`);
    this.runner = new CoalescingRunner(() => this.passWhileLeader());
  }

  /** Runs a pass soon if this process leads; other processes rely on the leader's tick. */
  wake(): void {
    if (!this.options.isLeader()) return;
    this.runner.run().catch((error: unknown) => this.logFailure(error));
  }

  /**
   * The interval's pass. Rejects when the pass fails, so the @LeaderOnly runner that
   * calls it counts and logs the failure.
   */
  tick(): Promise<void> {
    return this.runner.run();
  }

  private async passWhileLeader(): Promise<void> {
    // a pass asked for before leadership was lost must not run after it
    if (this.options.isLeader()) await this.options.pass();
  }

  private logFailure(error: unknown): void {
    this.logger.error(
      { err: error },
      `${this.options.name} pass failed; the next tick tries again`,
    );
  }
}

/**
 * `@Interval(name, everyMs)` on the leader only (see leader-only.decorator.ts): the tick
 * of a LeaderLoop.
 */
export function LeaderInterval(name: string, everyMs: number): MethodDecorator {
  return applyDecorators(LeaderOnly(name), Interval(name, everyMs));
}
