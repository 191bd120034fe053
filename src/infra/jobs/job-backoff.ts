import { createHash } from 'node:crypto';
import { BackoffOptions } from './job-queue.port';

/**
 * Wait before the next try after `failedTries` failures (1 after the first): the first
 * wait, doubled after each failure when exponential, capped at `maxDelayMs`, then
 * shortened by up to `jitter` of itself. The draw is a hash of the job id and the try
 * rather than Math.random, so the worker running a try can tell how long the queue will
 * wait before the next (`Job.retryDelayMs`) and both drivers agree on it; different jobs
 * still spread out, which is what jitter is for.
 */
export function backoffDelayMs(
  backoff: BackoffOptions | undefined,
  failedTries: number,
  jobId: string,
): number {
  if (!backoff) return 0;
  const growing =
    backoff.type === 'fixed' ? backoff.delayMs : backoff.delayMs * 2 ** (failedTries - 1);
  const capped = Math.min(growing, backoff.maxDelayMs ?? Infinity);
  const jitter = backoff.jitter ?? 0;
  return Math.round(capped * (1 - jitter * jitterDraw(jobId, failedTries)));
}

/** A number in [0, 1) fixed by the job and the try. */
function jitterDraw(jobId: string, failedTries: number): number {
  const digest = createHash('sha256').update(`${jobId}\u0000${failedTries}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** The wait after try `attempt` if it fails, or null when no try follows it. */
export function retryDelayAfter(
  attempt: number,
  attempts: number,
  backoff: BackoffOptions | undefined,
  jobId: string,
): number | null {
  return attempt < attempts ? backoffDelayMs(backoff, attempt, jobId) : null;
}
