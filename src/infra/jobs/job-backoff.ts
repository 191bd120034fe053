import { BackoffOptions } from './job-queue.port';

/**
 * Wait before the next try after `failedTries` failures (1 after the first), the same
 * formula as BullMQ's built-in strategies so both drivers retry on one schedule.
 */
export function backoffDelayMs(backoff: BackoffOptions | undefined, failedTries: number): number {
  if (!backoff) return 0;
  if (backoff.type === 'fixed') return backoff.delayMs;
  return backoff.delayMs * 2 ** (failedTries - 1);
}
