import { PRIORITY_LIMIT } from 'bullmq';
import { toBullmqPriority } from './bullmq-priority';
import { MAX_JOB_PRIORITY } from './job-queue.port';

describe('toBullmqPriority', () => {
  it('turns higher-first port priorities into lower-first BullMQ ones, never 0', () => {
    expect(toBullmqPriority(MAX_JOB_PRIORITY)).toBe(1);
    expect(toBullmqPriority(10)).toBeLessThan(toBullmqPriority(9));
    expect(toBullmqPriority(0)).toBe(MAX_JOB_PRIORITY + 1);
    expect(toBullmqPriority()).toBe(toBullmqPriority(0));
    expect(toBullmqPriority(0)).toBeLessThanOrEqual(PRIORITY_LIMIT);
  });

  it('rejects priorities outside the port range', () => {
    expect(() => toBullmqPriority(MAX_JOB_PRIORITY + 1)).toThrow(RangeError);
  });
});
