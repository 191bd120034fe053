import type { TaskStatus } from '../api/types';

const CANCELLABLE: readonly TaskStatus[] = ['pending', 'queued', 'running', 'lost'];
const RETRYABLE: readonly TaskStatus[] = ['failed', 'timed_out', 'cancelled'];
const FINAL: readonly TaskStatus[] = ['succeeded', 'failed', 'timed_out', 'cancelled'];

export const isCancellable = (status: TaskStatus) => CANCELLABLE.includes(status);
export const isRetryable = (status: TaskStatus) => RETRYABLE.includes(status);
export const isFinished = (status: TaskStatus) => FINAL.includes(status);
