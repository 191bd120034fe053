// The leader lock of the embedded default: one process is the whole deployment, so it
// leads from start to stop. Each start is a new term with a higher epoch.
import { Logger } from '@nestjs/common';
import { LeadershipTerm } from '../leader-lock.port';
import { LeadershipState } from '../leadership-state';
import { ManagedLeaderLock } from '../managed-leader-lock';

export class MemoryLeaderLock implements ManagedLeaderLock {
  private readonly state = new LeadershipState(new Logger('LeaderLock'));
  private epoch = 0;

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
    return Promise.resolve();
  }
}
