// The wait before automatic retry number `retry` (1-based): the task's base backoff
// doubled per retry, capped, with "equal jitter" (half fixed, half random) so a batch
// of tasks failing together does not come back together, yet never retries at once.
export function retryDelaySeconds(
  baseSeconds: number,
  retry: number,
  capSeconds: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(capSeconds, baseSeconds * 2 ** (retry - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
