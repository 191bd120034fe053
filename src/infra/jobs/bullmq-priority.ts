import { PRIORITY_LIMIT } from 'bullmq';
import { MAX_JOB_PRIORITY } from './job-queue.port';

/**
 * Port priority (higher first, 0..MAX_JOB_PRIORITY) as BullMQ's (lower first). Every job
 * gets an explicit BullMQ priority >= 1: BullMQ runs jobs without one (0) before all
 * prioritized jobs, which would put the port's lowest priority first.
 */
export function toBullmqPriority(priority = 0): number {
  const bullmq = MAX_JOB_PRIORITY - priority + 1;
  if (bullmq < 1 || bullmq > PRIORITY_LIMIT)
    throw new RangeError(`priority ${priority} out of range`);
  return bullmq;
}
