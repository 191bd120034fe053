// The leader lock of the embedded default: one process is the whole deployment, so it
// leads from start to stop. Each start is a new term with a higher epoch. What keeps a
// second process off the deployment is the data directory's lock it is given, if any.
import { Logger } from '@nestjs/common';
import { LeadershipTerm } from '../leader-lock.port';
import { LeadershipState } from '../leadership-state';
import { ManagedLeaderLock } from '../managed-leader-lock';
import type { DataDirLock } from '../data-dir-lock';

export class MemoryLeaderLock implements ManagedLeaderLock {
  private readonly state = new LeadershipState(new Logger('LeaderLock'));
  private epoch = 0;

  constructor(private readonly dataDirLock?: DataDirLock) {}

  get isLeader(): boolean {
    return this.state.isLeader;
  }

  get term(): LeadershipTerm | undefined {
    return this.state.term;
  }

  onChange(listener: (isLeader: boolean) => void): () => void {
    return this.state.onChange(listener);
  }

  start(): void {
    if (!this.state.isLeader) this.state.begin(++this.epoch);
  }

  stop(): Promise<void> {
    this.state.end('released at shutdown');
    this.dataDirLock?.release();
    return Promise.resolve();
  }
}
