import { AddJobOptions } from './job-queue.port';

/** Rejects options neither driver could honour, with the same message from both. */
export function assertValidJobOptions(options: AddJobOptions): void {
  const { jobId, delayMs = 0, attempts = 1 } = options;
  if (typeof jobId !== 'string' || jobId === '') throw new RangeError('jobId must be non-empty');
  if (!Number.isFinite(delayMs) || delayMs < 0) throw new RangeError('delayMs must be >= 0');
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError('attempts must be >= 1');
  const { maxDelayMs, jitter = 0 } = options.backoff ?? {};
  if (maxDelayMs !== undefined && !(maxDelayMs > 0)) throw new RangeError('maxDelayMs must be > 0');
  if (!(jitter >= 0 && jitter <= 1)) throw new RangeError('jitter must be between 0 and 1');
}
