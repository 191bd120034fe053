import { backoffDelayMs, retryDelayAfter } from './job-backoff';

describe('backoffDelayMs', () => {
  it('doubles an exponential wait after each failure up to the cap', () => {
    const backoff = { type: 'exponential', delayMs: 1000, maxDelayMs: 5000 } as const;
    const waits = [1, 2, 3, 4, 5].map((tries) => backoffDelayMs(backoff, tries, 'job'));
    expect(waits).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('shortens each wait by at most its jitter, by the same amount for the same job and try', () => {
    const backoff = { type: 'exponential', delayMs: 1000, maxDelayMs: 8000, jitter: 0.3 } as const;
    for (let tries = 1; tries <= 6; tries += 1) {
      const full = Math.min(1000 * 2 ** (tries - 1), 8000);
      const wait = backoffDelayMs(backoff, tries, 'delivery-1');
      expect(wait).toBeGreaterThanOrEqual(full * 0.7);
      expect(wait).toBeLessThanOrEqual(full);
      expect(backoffDelayMs(backoff, tries, 'delivery-1')).toBe(wait);
    }
  });

  it('spreads jobs that failed together over the jitter range', () => {
    const backoff = { type: 'fixed', delayMs: 10_000, jitter: 1 } as const;
    const waits = new Set(
      Array.from({ length: 50 }, (_, i) => backoffDelayMs(backoff, 1, `job-${i}`)),
    );
    expect(waits.size).toBeGreaterThan(45);
  });

  it('says no retry follows the last try', () => {
    const backoff = { type: 'fixed', delayMs: 100 } as const;
    expect(retryDelayAfter(2, 3, backoff, 'job')).toBe(100);
    expect(retryDelayAfter(3, 3, backoff, 'job')).toBeNull();
  });
});
