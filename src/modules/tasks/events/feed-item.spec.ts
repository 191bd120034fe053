import type { TaskEvent } from '../persistence/entities/task-event.entity';
import { FeedItem, mergeByTime } from './feed-item';
import type { ServiceFeedRecord } from './service-event-port';

const task = (id: number, at: number): FeedItem => ({
  source: 'task',
  record: { id, occurredAt: new Date(at) } as TaskEvent,
});
const service = (id: number, at: number): FeedItem => ({
  source: 'service',
  record: { id, occurredAt: new Date(at) } as ServiceFeedRecord,
});
const order = (items: FeedItem[]) => items.map((item) => `${item.source[0]}${item.record.id}`);

describe('mergeByTime', () => {
  it('interleaves the two logs by when their events happened', () => {
    expect(
      order(mergeByTime([task(1, 10), task(2, 30)], [service(7, 20), service(8, 40)])),
    ).toEqual(['t1', 's7', 't2', 's8']);
  });

  it("keeps each log's own order when its clock went backwards", () => {
    const merged = mergeByTime([task(1, 50), task(2, 10)], [service(7, 20)]);
    expect(order(merged)).toEqual(['s7', 't1', 't2']);
  });

  it('passes one log through when the other is empty', () => {
    expect(order(mergeByTime([], [service(7, 20), service(8, 10)]))).toEqual(['s7', 's8']);
  });
});
