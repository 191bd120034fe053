// Retries an async call with exponential backoff and full jitter, only for transient
// errors. The @Retryable decorator and every outbound client build on this.
import { setTimeout as delay } from 'node:timers/promises';
import { isTransientError } from './transient-error';

export interface RetryOptions {
  /** Total tries, the first included. */
  attempts: number;
  /** Cap of the first wait; each later cap is multiplied by `factor`. */
  baseDelayMs: number;
  factor?: number;
  maxDelayMs?: number;
  /** Which errors deserve another try; by default network, timeout, 429 and 5xx errors. */
  isRetryable?: (error: unknown) => boolean;
  /** Told before each wait, e.g. to log it. */
  onRetry?: (event: RetryEvent) => void;
  signal?: AbortSignal;
  /** Source of randomness for the jitter; tests pin it. */
  random?: () => number;
}

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  error: unknown;
}

export const DEFAULT_RETRY: Required<Pick<RetryOptions, 'factor' | 'maxDelayMs'>> = {
  factor: 2,
  maxDelayMs: 30_000,
};

/**
 * The wait after failed try number `attempt` (1-based): a uniform draw from
 * [0, min(maxDelay, base * factor^(attempt-1))] ("full jitter"), which spreads
 * retrying clients apart instead of letting them return in a herd.
 */
export function backoffDelay(attempt: number, options: RetryOptions): number {
  const factor = options.factor ?? DEFAULT_RETRY.factor;
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  const cap = Math.min(maxDelayMs, options.baseDelayMs * factor ** (attempt - 1));
  const random = options.random ?? Math.random;
  return Math.floor(random() * cap);
}

export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const isRetryable = options.isRetryable ?? isTransientError;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= options.attempts || !isRetryable(error)) throw error;
      const delayMs = backoffDelay(attempt, options);
      options.onRetry?.({ attempt, delayMs, error });
      await delay(delayMs, undefined, { signal: options.signal });
    }
  }
}
