// Hands the new rows of an append-only log table to this process's subscribers. Every
// process reads the table itself (the database is the one place all replicas' changes
// meet): a local change asks for a read at once, the poll catches other replicas'.
//
// Ids come from a sequence, and on PostgreSQL a transaction that took a lower id can
// commit after one with a higher id; so each read looks back a window of ids and skips
// the ones already delivered, instead of trusting "id > last".
import { Logger } from '@nestjs/common';
import { CoalescingRunner } from '../scheduling/coalescing-runner';

const POLL_MS = 500;
const LOOKBACK_IDS = 500;
const BATCH = 1000;

export interface LogRows<T extends { id: number }> {
  /** Rows after `afterId`, oldest first. */
  after(afterId: number, limit: number): Promise<T[]>;
  maxId(): Promise<number>;
}

export type LogListener<T> = (row: T) => void;

export interface LogSubscription {
  /** Rows up to this id were in the log before this subscriber listened. */
  position: number;
  unsubscribe: () => void;
}

export class PolledLogFeed<T extends { id: number }> {
  private readonly listeners = new Set<LogListener<T>>();
  private readonly delivered = new Set<number>();
  private readonly runner = new CoalescingRunner(() => this.read());
  private lastId: number | undefined;
  /** Rows up to this id happened before anyone here listened. */
  private baseline = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly rows: LogRows<T>,
    private readonly logger: Logger,
  ) {}

  async subscribe(listener: LogListener<T>): Promise<LogSubscription> {
    if (this.lastId === undefined) this.lastId = this.baseline = await this.rows.maxId();
    this.listeners.add(listener);
    this.timer ??= setInterval(() => this.poke(), POLL_MS);
    return {
      position: this.lastId,
      unsubscribe: () => {
        this.listeners.delete(listener);
        if (this.listeners.size === 0) this.stop();
      },
    };
  }

  /** Rows after `afterId`, oldest first, for a reconnecting client. */
  replay(afterId: number, limit = BATCH): Promise<T[]> {
    return this.rows.after(afterId, limit);
  }

  /** Reads new rows now, for a change this process made. */
  poke(): void {
    if (this.listeners.size === 0) return;
    this.runner.run().catch((error) => this.logger.warn({ err: error }, 'event feed read failed'));
  }

  close(): void {
    this.listeners.clear();
    this.stop();
  }

  private async read(): Promise<void> {
    const from = Math.max(0, (this.lastId ?? 0) - LOOKBACK_IDS);
    const rows = await this.replay(from);
    for (const row of rows) {
      if (row.id <= this.baseline || this.delivered.has(row.id)) continue;
      this.delivered.add(row.id);
      this.lastId = Math.max(this.lastId ?? 0, row.id);
      for (const listener of this.listeners) listener(row);
    }
    for (const id of this.delivered) if (id <= from) this.delivered.delete(id);
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.lastId = undefined;
    this.delivered.clear();
  }
}
