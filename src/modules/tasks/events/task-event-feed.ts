// Feeds /api/v1/events with the task_events rows every process reads for itself
// (PolledLogFeed): a local change triggers a read at once; the poll catches other
// replicas' changes.
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { LogSubscription, PolledLogFeed } from '../../../common/events/polled-log-feed';
import { TaskEvent } from '../persistence/entities/task-event.entity';
import { TaskEventRepository } from '../persistence/task-event.repository';
import { TaskLifecycle } from '../lifecycle/task-lifecycle';

export type EventListener = (event: TaskEvent) => void;

@Injectable()
export class TaskEventFeed implements OnModuleDestroy {
  private readonly feed: PolledLogFeed<TaskEvent>;

  constructor(events: TaskEventRepository, lifecycle: TaskLifecycle) {
    this.feed = new PolledLogFeed(events, new Logger(TaskEventFeed.name));
    lifecycle.changes.on('change', () => this.feed.poke());
  }

  async subscribe(listener: EventListener): Promise<() => void> {
    return (await this.feed.subscribe(listener)).unsubscribe;
  }

  /** As `subscribe`, also saying which events came before this listener. */
  follow(listener: EventListener): Promise<LogSubscription> {
    return this.feed.subscribe(listener);
  }

  /** Events after `afterId`, oldest first, for a reconnecting client. */
  replay(afterId: number, limit?: number): Promise<TaskEvent[]> {
    return this.feed.replay(afterId, limit);
  }

  onModuleDestroy(): void {
    this.feed.close();
  }
}
