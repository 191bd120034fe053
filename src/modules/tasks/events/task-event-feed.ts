// Feeds /api/v1/events: every process reads new task_events rows (the database is the
// one place all replicas' changes meet) and hands them to its own subscribers. A local
// change triggers a read at once; the poll catches other replicas' changes.
//
// Ids come from a sequence, and on PostgreSQL a transaction that took a lower id can
// commit after one with a higher id; so each read looks back a window of ids and
// skips the ones already delivered, instead of trusting "id > last".
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { CoalescingRunner } from '../../../common/scheduling/coalescing-runner';
import { TaskEvent } from '../persistence/entities/task-event.entity';
import { TaskEventRepository } from '../persistence/task-event.repository';
import { TaskLifecycle } from '../lifecycle/task-lifecycle';

const POLL_MS = 500;
const LOOKBACK_IDS = 500;
const BATCH = 1000;

export type EventListener = (event: TaskEvent) => void;

@Injectable()
export class TaskEventFeed implements OnModuleDestroy {
  private readonly logger = new Logger(TaskEventFeed.name);
  private readonly listeners = new Set<EventListener>();
  private readonly delivered = new Set<number>();
  private readonly runner = new CoalescingRunner(() => this.read());
  private lastId: number | undefined;
  /** Events up to this id happened before anyone here listened. */
  private baseline = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly events: TaskEventRepository,
    lifecycle: TaskLifecycle,
  ) {
    lifecycle.changes.on('change', () => this.poke());
  }

  async subscribe(listener: EventListener): Promise<() => void> {
    if (this.lastId === undefined) this.lastId = this.baseline = await this.events.maxId();
    this.listeners.add(listener);
    this.timer ??= setInterval(() => this.poke(), POLL_MS);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Events after `afterId`, oldest first, for a reconnecting client. */
  replay(afterId: number, limit = BATCH): Promise<TaskEvent[]> {
    return this.events.after(afterId, limit);
  }

  onModuleDestroy(): void {
    this.listeners.clear();
    this.stop();
  }

  private poke(): void {
    if (this.listeners.size === 0) return;
    this.runner.run().catch((error) => this.logger.warn({ err: error }, 'event feed read failed'));
  }

  private async read(): Promise<void> {
    const from = Math.max(0, (this.lastId ?? 0) - LOOKBACK_IDS);
    const events = await this.replay(from);
    for (const event of events) {
      if (event.id <= this.baseline || this.delivered.has(event.id)) continue;
      this.delivered.add(event.id);
      this.lastId = Math.max(this.lastId ?? 0, event.id);
      for (const listener of this.listeners) listener(event);
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
