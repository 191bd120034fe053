// The driver for several Kiln replicas: each keeps the invocations it proxied in memory
// and adds them every second to per-service, per-time-bucket Redis hashes (atomic
// increments, an expiry once the bucket has left the window), so a summary read by any
// replica counts them all. Latency is stored as counts per fixed bucket, which add up
// across replicas where percentiles would not.
import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { BucketTable } from './bucket-table';
import type { InvocationStats } from './invocation-stats.port';
import {
  BucketCounts,
  emptyCounts,
  Invocation,
  InvocationSummary,
  LATENCY_BOUNDS_MS,
  STATUS_CLASSES,
  summarize,
  WINDOW_SECONDS,
  windowBucketStarts,
} from './invocation-window';

export const FLUSH_INTERVAL_MS = 1_000;
/** Kept past the window, so a replica whose clock is a little behind still finds them. */
const EXPIRY_MARGIN_SECONDS = 60;
/** A summary waits no longer than this for Redis; the service detail must not hang. */
const READ_TIMEOUT_MS = 1_000;

// Increments every field given and keeps the later lastAt, in one atomic step per bucket.
const ADD_BUCKET_SCRIPT = `
for i = 3, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
local last = tonumber(redis.call('HGET', KEYS[1], 'lastAt') or '0')
if tonumber(ARGV[1]) > last then redis.call('HSET', KEYS[1], 'lastAt', ARGV[1]) end
redis.call('EXPIREAT', KEYS[1], ARGV[2])
`;

type RedisWithAddBucket = Redis & {
  kilnAddInvocationBucket(key: string, ...args: Array<string | number>): Promise<unknown>;
};

export class RedisInvocationStats implements InvocationStats {
  readonly driver = 'redis';
  private readonly logger = new Logger('InvocationStats');
  private readonly pending = new BucketTable();
  private readonly redis: RedisWithAddBucket;
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failing = false;

  constructor(
    redis: Redis,
    /** `<redis.keyPrefix>invocations:`; a bucket is `<keyPrefix><service id>:<start>`. */
    private readonly keyPrefix: string,
  ) {
    redis.defineCommand('kilnAddInvocationBucket', { numberOfKeys: 1, lua: ADD_BUCKET_SCRIPT });
    this.redis = redis as RedisWithAddBucket;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  record(serviceId: string, invocation: Invocation): void {
    this.pending.add(serviceId, invocation);
  }

  summary(serviceId: string, nowMs = Date.now()): Promise<InvocationSummary> {
    return withTimeout(this.read(serviceId, nowMs), READ_TIMEOUT_MS);
  }

  /** Writes what is pending; one write at a time, a failed one is dropped and logged once. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (this.pending.isEmpty) return Promise.resolve();
    this.flushing = this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async write(): Promise<void> {
    const pipeline = this.redis.pipeline() as unknown as RedisWithAddBucket;
    for (const { serviceId, start, counts } of this.pending.drain()) {
      const expireAt = start + WINDOW_SECONDS + EXPIRY_MARGIN_SECONDS;
      void pipeline.kilnAddInvocationBucket(
        this.keyOf(serviceId, start),
        counts.lastAt,
        expireAt,
        ...fieldsOf(counts),
      );
    }
    try {
      const replies = (await (pipeline as unknown as ReturnType<Redis['pipeline']>).exec()) ?? [];
      const error = replies.find(([failure]) => failure)?.[0];
      if (error) throw error;
      if (this.failing) this.logger.log('Invocation counts are written to Redis again');
      this.failing = false;
    } catch (error) {
      // counts are for reading, never worth failing or slowing an invocation: drop them
      if (!this.failing)
        this.logger.warn(`Invocation counts could not be written to Redis: ${String(error)}`);
      this.failing = true;
    }
  }

  private async read(serviceId: string, nowMs: number): Promise<InvocationSummary> {
    // this replica's own invocations are written first, so its caller sees them
    await this.flush();
    const pipeline = this.redis.pipeline();
    for (const start of windowBucketStarts(nowMs)) pipeline.hgetall(this.keyOf(serviceId, start));
    const replies = (await pipeline.exec()) ?? [];
    const error = replies.find(([failure]) => failure)?.[0];
    if (error) throw error;
    return summarize(replies.map(([, hash]) => countsOf(hash)));
  }

  private keyOf(serviceId: string, start: number): string {
    return `${this.keyPrefix}${serviceId}:${start}`;
  }
}

/** The hash fields of a bucket's non-zero counts, as name, increment pairs. */
function fieldsOf(counts: BucketCounts): Array<string | number> {
  const fields: Array<[string, number]> = [
    ['total', counts.total],
    ['retried', counts.retried],
    ...STATUS_CLASSES.map((statusClass): [string, number] => [
      statusClass,
      counts.byStatusClass[statusClass],
    ]),
    ...counts.latency.map((count, index): [string, number] => [`l${index}`, count]),
  ];
  return fields.filter(([, value]) => value > 0).flat();
}

function countsOf(hash: unknown): BucketCounts {
  const fields = (hash ?? {}) as Record<string, string>;
  const read = (name: string) => Number(fields[name] ?? 0);
  const counts = emptyCounts();
  counts.total = read('total');
  counts.retried = read('retried');
  for (const statusClass of STATUS_CLASSES) counts.byStatusClass[statusClass] = read(statusClass);
  counts.latency = Array.from({ length: LATENCY_BOUNDS_MS.length + 1 }, (_, i) => read(`l${i}`));
  counts.lastAt = read('lastAt');
  return counts;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
