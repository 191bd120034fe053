// An event of either log on GET /api/v1/events, and the merge of the two replays.
import type { TaskEvent } from '../persistence/entities/task-event.entity';
import type { ServiceFeedRecord } from './service-event-port';

export type FeedItem =
  { source: 'task'; record: TaskEvent } | { source: 'service'; record: ServiceFeedRecord };

/**
 * Both lists in one, by the time each event happened. Each list keeps its own order
 * (its ids ascending) whatever the clocks say, which is what resuming relies on.
 */
export function mergeByTime(first: FeedItem[], second: FeedItem[]): FeedItem[] {
  const merged: FeedItem[] = [];
  let i = 0;
  let j = 0;
  while (i < first.length || j < second.length) {
    const takeFirst =
      j >= second.length ||
      (i < first.length &&
        first[i].record.occurredAt.getTime() <= second[j].record.occurredAt.getTime());
    merged.push(takeFirst ? first[i++] : second[j++]);
  }
  return merged;
}
