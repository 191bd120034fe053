// How far a run's log has been read, from the kubelet's line timestamps (`timestamps=true`),
// so that a reconnect with `sinceTime` hands on each line exactly once.

export interface TimestampedLine {
  /** The kubelet's RFC 3339 timestamp of the line, in nanoseconds since the epoch. */
  nanos: bigint;
  time: Date;
  text: string;
}

const NANOS_PER_MS = 1_000_000n;
const NANOS_PER_SECOND = 1_000_000_000n;
const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** Splits `2024-05-01T10:00:00.123456789Z text` into its timestamp and text. */
export function splitTimestamp(raw: string): TimestampedLine | undefined {
  const space = raw.indexOf(' ');
  const stamp = space < 0 ? raw : raw.slice(0, space);
  const match = STAMP.exec(stamp);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  const nanos = BigInt(seconds) * NANOS_PER_MS + BigInt((match[2] ?? '').padEnd(9, '0'));
  return {
    nanos,
    time: new Date(Number(nanos / NANOS_PER_MS)),
    text: space < 0 ? '' : raw.slice(space + 1),
  };
}

/**
 * `sinceTime` has whole seconds, so a resumed read repeats the lines of the last second
 * read; the kubelet may also give several lines the same timestamp. The checkpoint keeps
 * the newest timestamp and how many lines carried it, and lets through only what is new.
 */
export class LogCheckpoint {
  private newest: bigint | undefined;
  private linesAtNewest = 0;
  private repeatsInRead = 0;
  /** Lines up to here were delivered by an earlier reader (another process, or before a restart). */
  private deliveredThrough: bigint | undefined;

  /** For the log API: the second to read from, or undefined to read from the start. */
  get sinceTime(): string | undefined {
    const from = later(this.newest, this.deliveredThrough);
    if (from === undefined) return undefined;
    const seconds = from / NANOS_PER_SECOND;
    return new Date(Number(seconds) * 1000).toISOString().replace('.000Z', 'Z');
  }

  /**
   * Skips every line stamped at or before `time`'s millisecond. `time` comes from a
   * stored point, and a Date keeps only milliseconds of the kubelet's nanoseconds, so the
   * whole millisecond counts as delivered: a line of that millisecond that the earlier
   * reader had not delivered yet is skipped too, rather than risk storing one twice.
   * Only ever moves forward, so a stale checkpoint of this process cannot undo it.
   */
  skipThrough(time: Date): void {
    const lastNanoOfMs = BigInt(time.getTime()) * NANOS_PER_MS + NANOS_PER_MS - 1n;
    this.deliveredThrough = later(this.deliveredThrough, lastNanoOfMs);
  }

  /** Call before each read of the log, which starts again at `sinceTime`. */
  beginRead(): void {
    this.repeatsInRead = 0;
  }

  /** True when the line has not been handed on before (and counts it as handed on now). */
  accept(line: TimestampedLine): boolean {
    if (this.deliveredThrough !== undefined && line.nanos <= this.deliveredThrough) return false;
    if (this.newest !== undefined && line.nanos < this.newest) return false;
    if (line.nanos === this.newest) {
      this.repeatsInRead++;
      if (this.repeatsInRead <= this.linesAtNewest) return false;
      this.linesAtNewest++;
      return true;
    }
    this.newest = line.nanos;
    this.linesAtNewest = 1;
    this.repeatsInRead = 1;
    return true;
  }
}

function later(a: bigint | undefined, b: bigint | undefined): bigint | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}
