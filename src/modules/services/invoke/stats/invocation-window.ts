// The arithmetic of the invocation summary: a rolling window made of fixed time buckets,
// each holding counts only (by status class, retried, and per fixed latency bucket), so
// buckets from any number of Kiln replicas add up and memory stays bounded.

/** Length of one time bucket; the window moves on in steps of this. */
export const BUCKET_SECONDS = 10;
/** The summary covers the current bucket and the ones before it, 5 minutes in all. */
export const WINDOW_SECONDS = 300;
export const WINDOW_BUCKETS = WINDOW_SECONDS / BUCKET_SECONDS;
/** Upper bounds (ms) of the latency buckets; a last, open bucket takes anything slower. */
export const LATENCY_BOUNDS_MS = [
  1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
] as const;
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

/** One invocation as the endpoint saw it end. */
export interface Invocation {
  status: number;
  latencyMs: number;
  retried: boolean;
  /** Epoch ms when it ended. */
  at: number;
}

export interface BucketCounts {
  total: number;
  byStatusClass: Record<StatusClass, number>;
  retried: number;
  /** One count per LATENCY_BOUNDS_MS entry, and a last one for slower invocations. */
  latency: number[];
  /** Epoch ms of the last invocation counted; 0 when none. */
  lastAt: number;
}

export interface InvocationSummary {
  windowSeconds: number;
  total: number;
  byStatusClass: Record<StatusClass, number>;
  retried: number;
  /** Null when nothing was invoked in the window. */
  latencyMs: { p50: number; p99: number } | null;
  lastAt: Date | null;
}

export function emptyCounts(): BucketCounts {
  return {
    total: 0,
    byStatusClass: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
    retried: 0,
    latency: new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0),
    lastAt: 0,
  };
}

/** Start (epoch seconds) of the time bucket holding `epochMs`. */
export function bucketStartOf(epochMs: number): number {
  const seconds = Math.floor(epochMs / 1000);
  return seconds - (seconds % BUCKET_SECONDS);
}

/** Starts of the buckets the window ending at `nowMs` covers, newest first. */
export function windowBucketStarts(nowMs: number): number[] {
  const newest = bucketStartOf(nowMs);
  return Array.from({ length: WINDOW_BUCKETS }, (_, index) => newest - index * BUCKET_SECONDS);
}

export function isInWindow(bucketStart: number, nowMs: number): boolean {
  return bucketStart > bucketStartOf(nowMs) - WINDOW_SECONDS;
}

export function statusClassOf(status: number): StatusClass {
  const digit = Math.min(Math.max(Math.floor(status / 100), 1), 5);
  return `${digit}xx` as StatusClass;
}

export function latencyBucketOf(latencyMs: number): number {
  const index = LATENCY_BOUNDS_MS.findIndex((bound) => latencyMs <= bound);
  return index < 0 ? LATENCY_BOUNDS_MS.length : index;
}

export function addInvocation(counts: BucketCounts, invocation: Invocation): void {
  counts.total += 1;
  counts.byStatusClass[statusClassOf(invocation.status)] += 1;
  if (invocation.retried) counts.retried += 1;
  counts.latency[latencyBucketOf(invocation.latencyMs)] += 1;
  counts.lastAt = Math.max(counts.lastAt, invocation.at);
}

/** Adds `from` into `into`: counts add, the last invocation is the later one. */
export function mergeCounts(into: BucketCounts, from: BucketCounts): BucketCounts {
  into.total += from.total;
  for (const statusClass of STATUS_CLASSES)
    into.byStatusClass[statusClass] += from.byStatusClass[statusClass];
  into.retried += from.retried;
  from.latency.forEach((count, index) => (into.latency[index] += count));
  into.lastAt = Math.max(into.lastAt, from.lastAt);
  return into;
}

/**
 * The q-quantile estimated from latency bucket counts, interpolating linearly inside the
 * bucket the rank falls in (as Prometheus's histogram_quantile does). A rank in the open
 * last bucket answers the highest bound: all that is known is that it was slower.
 */
export function latencyQuantile(latency: readonly number[], q: number): number | null {
  const total = latency.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let index = 0; index < latency.length; index++) {
    const count = latency[index];
    if (count > 0 && below + count >= rank) {
      if (index === LATENCY_BOUNDS_MS.length) return LATENCY_BOUNDS_MS[index - 1];
      const lower = index === 0 ? 0 : LATENCY_BOUNDS_MS[index - 1];
      const upper = LATENCY_BOUNDS_MS[index];
      return lower + (upper - lower) * ((rank - below) / count);
    }
    below += count;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}

export function summarize(buckets: Iterable<BucketCounts>): InvocationSummary {
  const counts = emptyCounts();
  for (const bucket of buckets) mergeCounts(counts, bucket);
  const p50 = latencyQuantile(counts.latency, 0.5);
  const p99 = latencyQuantile(counts.latency, 0.99);
  return {
    windowSeconds: WINDOW_SECONDS,
    total: counts.total,
    byStatusClass: counts.byStatusClass,
    retried: counts.retried,
    latencyMs: p50 === null || p99 === null ? null : { p50: round(p50), p99: round(p99) },
    lastAt: counts.lastAt > 0 ? new Date(counts.lastAt) : null,
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
