import {
  addInvocation,
  BUCKET_SECONDS,
  bucketStartOf,
  emptyCounts,
  Invocation,
  isInWindow,
  latencyBucketOf,
  latencyQuantile,
  LATENCY_BOUNDS_MS,
  mergeCounts,
  statusClassOf,
  summarize,
  WINDOW_BUCKETS,
  WINDOW_SECONDS,
  windowBucketStarts,
} from './invocation-window';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 7, 500);

function invocation(overrides: Partial<Invocation> = {}): Invocation {
  return { status: 200, latencyMs: 20, retried: false, at: NOW, ...overrides };
}

function countsOf(invocations: Invocation[]) {
  const counts = emptyCounts();
  for (const each of invocations) addInvocation(counts, each);
  return counts;
}

describe('invocation window', () => {
  it('puts an instant in the bucket that starts at the last multiple of the bucket length', () => {
    expect(bucketStartOf(NOW)).toBe(Date.UTC(2026, 10, 30, 12, 0, 0) / 1000);
    expect(bucketStartOf(NOW + 2_500)).toBe(bucketStartOf(NOW) + BUCKET_SECONDS);
  });

  it('covers the current bucket and the ones before it, five minutes in all', () => {
    const starts = windowBucketStarts(NOW);
    expect(starts).toHaveLength(WINDOW_BUCKETS);
    expect(starts[0]).toBe(bucketStartOf(NOW));
    expect(starts[0] - starts[starts.length - 1]).toBe(WINDOW_SECONDS - BUCKET_SECONDS);
    expect(starts.every((start) => isInWindow(start, NOW))).toBe(true);
    expect(isInWindow(starts[starts.length - 1] - BUCKET_SECONDS, NOW)).toBe(false);
  });

  it('lets a bucket leave the window five minutes after it started', () => {
    const start = bucketStartOf(NOW);
    const ended = (start + BUCKET_SECONDS) * 1000;
    expect(isInWindow(start, ended + (WINDOW_SECONDS - BUCKET_SECONDS) * 1000 - 1)).toBe(true);
    expect(isInWindow(start, ended + (WINDOW_SECONDS - BUCKET_SECONDS) * 1000)).toBe(false);
  });

  it('classes statuses by their first digit', () => {
    expect([101, 200, 204, 304, 404, 499, 502, 503].map(statusClassOf)).toEqual([
      '1xx',
      '2xx',
      '2xx',
      '3xx',
      '4xx',
      '4xx',
      '5xx',
      '5xx',
    ]);
  });

  it('counts a latency in the first bucket whose upper bound holds it, the open one past the last', () => {
    expect(latencyBucketOf(0.3)).toBe(0);
    expect(latencyBucketOf(1)).toBe(0);
    expect(latencyBucketOf(1.01)).toBe(1);
    expect(latencyBucketOf(30_000)).toBe(LATENCY_BOUNDS_MS.length - 1);
    expect(latencyBucketOf(60_000)).toBe(LATENCY_BOUNDS_MS.length);
  });
});

describe('latency percentiles', () => {
  it('interpolate inside the bucket the rank falls in', () => {
    // 100 invocations between 10 and 25 ms: the median is halfway through that bucket
    const counts = countsOf(Array.from({ length: 100 }, () => invocation({ latencyMs: 20 })));
    expect(latencyQuantile(counts.latency, 0.5)).toBe(17.5);
    expect(latencyQuantile(counts.latency, 0.99)).toBeCloseTo(24.85);
  });

  it('answer the highest bound for a rank among invocations slower than it', () => {
    const counts = countsOf([invocation({ latencyMs: 3 }), invocation({ latencyMs: 45_000 })]);
    expect(latencyQuantile(counts.latency, 0.99)).toBe(30_000);
  });

  it('are null without invocations', () => {
    expect(latencyQuantile(emptyCounts().latency, 0.5)).toBeNull();
  });

  it('of buckets merged from two replicas equal those of all invocations counted together', () => {
    const fast = Array.from({ length: 90 }, (_, i) => invocation({ latencyMs: 4 + (i % 5) }));
    const slow = Array.from({ length: 10 }, () => invocation({ latencyMs: 700 }));
    const merged = mergeCounts(countsOf(fast), countsOf(slow));
    const together = countsOf([...fast, ...slow]);
    expect(merged).toEqual(together);
    expect(latencyQuantile(merged.latency, 0.5)).toBe(latencyQuantile(together.latency, 0.5));
    // the slowest tenth sets the 99th percentile, whichever replica saw it
    expect(latencyQuantile(merged.latency, 0.99)).toBeGreaterThan(500);
    expect(latencyQuantile(merged.latency, 0.5)).toBeLessThanOrEqual(10);
  });
});

describe('summarize', () => {
  it('adds the buckets up by status class, retries and the last invocation', () => {
    const earlier = countsOf([invocation({ at: NOW - 60_000 }), invocation({ status: 404 })]);
    const later = countsOf([
      invocation({ status: 503, retried: true, at: NOW + 1_000 }),
      invocation({ status: 201 }),
    ]);
    expect(summarize([earlier, later])).toEqual({
      windowSeconds: WINDOW_SECONDS,
      total: 4,
      byStatusClass: { '1xx': 0, '2xx': 2, '3xx': 0, '4xx': 1, '5xx': 1 },
      retried: 1,
      latencyMs: { p50: 17.5, p99: 24.85 },
      lastAt: new Date(NOW + 1_000),
    });
  });

  it('says nothing was invoked with zero counts and no latency or last time', () => {
    expect(summarize([])).toMatchObject({ total: 0, latencyMs: null, lastAt: null });
  });
});
