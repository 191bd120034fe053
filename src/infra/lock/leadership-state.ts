// The bookkeeping both lock drivers share: the live term, its AbortController and the
// change listeners, so "a term ended" means the same thing whatever ended it.
import { Logger } from '@nestjs/common';
import { LeadershipTerm } from './leader-lock.port';

export class LeadershipState {
  private current?: { term: LeadershipTerm; controller: AbortController };
  private readonly listeners = new Set<(isLeader: boolean) => void>();

  constructor(private readonly logger: Logger) {}

  get isLeader(): boolean {
    return this.current !== undefined;
  }

  get term(): LeadershipTerm | undefined {
    return this.current?.term;
  }

  begin(epoch: number): void {
    if (this.current) this.end('a new term began');
    const controller = new AbortController();
    this.current = { term: { epoch, signal: controller.signal }, controller };
    this.logger.log(`Leadership acquired (epoch ${epoch})`);
    this.notify(true);
  }

  /** Ends the live term, if any: its signal aborts first, then listeners hear of it. */
  end(reason: string): void {
    const ending = this.current;
    if (!ending) return;
    this.current = undefined;
    ending.controller.abort(new Error(`leadership ended: ${reason}`));
    this.logger.warn(`Leadership (epoch ${ending.term.epoch}) ended: ${reason}`);
    this.notify(false);
  }

  onChange(listener: (isLeader: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(isLeader: boolean): void {
    for (const listener of this.listeners) {
      try {
        listener(isLeader);
      } catch (error) {
        this.logger.error({ err: error }, 'A leadership listener failed');
      }
    }
  }
}
