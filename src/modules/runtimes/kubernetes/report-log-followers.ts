// At most one ReportLogFollower per Job in this process, and at most `max` at once. A
// Job's checkpoint outlives its follower, so following it again resumes where it stopped.
import { Logger } from '@nestjs/common';
import { LogCheckpoint } from './cluster/log-checkpoint';
import type { ReportLogFollower } from './report-log-follower';

/** Checkpoints of Jobs not followed right now, kept per follower slot before the oldest go. */
const RETAINED_PER_SLOT = 10;

export class ReportLogFollowers {
  private readonly logger = new Logger(ReportLogFollowers.name);
  private readonly active = new Map<string, ReportLogFollower>();
  private readonly checkpoints = new Map<string, LogCheckpoint>();
  /** Jobs whose log was read to its end: nothing is left to collect. */
  private readonly finished = new Set<string>();
  private full = false;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.active.size;
  }

  /**
   * Starts following `key` unless it is followed already or was read to its end. Past
   * the cap it starts nothing; the caller asks again on its next look at the run.
   */
  ensure(key: string, start: (checkpoint: LogCheckpoint) => ReportLogFollower): void {
    if (this.active.has(key) || this.finished.has(key)) return;
    if (this.active.size >= this.max) {
      if (!this.full) this.logger.warn(`${this.max} run logs followed already; others wait`);
      this.full = true;
      return;
    }
    const checkpoint = this.checkpoints.get(key) ?? new LogCheckpoint();
    this.checkpoints.delete(key); // re-inserted last, so the oldest are dropped first
    this.checkpoints.set(key, checkpoint);
    const follower = start(checkpoint);
    this.active.set(key, follower);
    void follower.done.then((toTheEnd) => this.ended(key, follower, toTheEnd));
    this.dropOldCheckpoints();
  }

  /** The run ended: its follower reads the rest of the log and stops. */
  drain(key: string): void {
    this.active.get(key)?.drain();
  }

  /** The Job is gone (deleted or stopped): stop at once and keep nothing of it. */
  forget(key: string): void {
    this.active.get(key)?.stop();
    this.active.delete(key);
    this.checkpoints.delete(key);
    this.finished.delete(key);
  }

  /** Stops every follower; their checkpoints stay, so following again resumes. */
  async stopAll(): Promise<void> {
    const stopping = [...this.active.values()];
    for (const follower of stopping) follower.stop();
    this.active.clear();
    await Promise.all(stopping.map((follower) => follower.done));
  }

  private ended(key: string, follower: ReportLogFollower, toTheEnd: boolean): void {
    if (this.active.get(key) !== follower) return;
    this.active.delete(key);
    this.full = false;
    if (toTheEnd) {
      this.finished.add(key);
      this.checkpoints.delete(key);
    }
  }

  private dropOldCheckpoints(): void {
    const retained = this.max * RETAINED_PER_SLOT;
    for (const key of this.checkpoints.keys()) {
      if (this.checkpoints.size <= retained) break;
      if (!this.active.has(key)) this.checkpoints.delete(key);
    }
    for (const key of this.finished) {
      if (this.finished.size <= retained) break;
      this.finished.delete(key);
    }
  }
}
