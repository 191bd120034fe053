import { AddJobOptions, MAX_JOB_PRIORITY } from './job-queue.port';

/** Rejects options neither driver could honour, with the same message from both. */
export function assertValidJobOptions(options: AddJobOptions): void {
  const { jobId, priority = 0, delayMs = 0, attempts = 1 } = options;
  if (typeof jobId !== 'string' || jobId === '') throw new RangeError('jobId must be non-empty');
  if (!Number.isInteger(priority) || priority < 0 || priority > MAX_JOB_PRIORITY)
    throw new RangeError(`priority must be an integer from 0 to ${MAX_JOB_PRIORITY}`);
  if (!Number.isFinite(delayMs) || delayMs < 0) throw new RangeError('delayMs must be >= 0');
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError('attempts must be >= 1');
}
