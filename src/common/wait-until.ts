// The one tool for "wait until X holds": polls an async condition until it is true,
// the timeout passes, or the signal aborts, and says which.
import { setTimeout as delay } from 'node:timers/promises';

export interface WaitUntilOptions {
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

export interface WaitUntilResult {
  satisfied: boolean;
  timedOut: boolean;
  aborted: boolean;
}

export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs, intervalMs = 50, signal }: WaitUntilOptions,
): Promise<WaitUntilResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) return { satisfied: false, timedOut: false, aborted: true };
    if (await condition()) return { satisfied: true, timedOut: false, aborted: false };
    const remaining = deadline - Date.now();
    if (remaining <= 0) return { satisfied: false, timedOut: true, aborted: false };
    try {
      await delay(Math.min(intervalMs, remaining), undefined, { signal });
    } catch {
      return { satisfied: false, timedOut: false, aborted: true };
    }
  }
}
