// The kubelet's side of pod logs: lines with nanosecond timestamps, sinceTime, and
// follow requests that stay open until the container ends.
import { ServerResponse } from 'node:http';
import { RecordedRequest, send } from './http-io';
import { KubeObject, statusObject } from './wire';

interface LogLine {
  /** What the kubelet stamps a line with: RFC 3339 with nanoseconds, trailing zeros trimmed. */
  time: string;
  nanos: bigint;
  text: string;
}

interface PodLog {
  lines: LogLine[];
  finished: boolean;
  /** Open follow requests, and whether each asked for timestamps. */
  followers: Map<ServerResponse, { timestamps: boolean }>;
}

export class PodLogs {
  private readonly logs = new Map<string, PodLog>();
  private lastLogNanos = 0n;

  append(pod: KubeObject, texts: string[]): void {
    const log = this.logOf(pod);
    const lines = texts.map((text) => ({ ...this.logTimestamp(), text }));
    log.lines.push(...lines);
    for (const [res, { timestamps }] of log.followers) res.write(renderLog(lines, timestamps));
  }

  finish(pod: KubeObject): void {
    const log = this.logOf(pod);
    log.finished = true;
    for (const res of log.followers.keys()) res.end();
    log.followers.clear();
  }

  /** Drops every open follow of a pod log, as a restarting kubelet or a proxy would. */
  disconnectFollowers(): void {
    for (const log of this.logs.values()) {
      for (const res of log.followers.keys()) res.destroy();
      log.followers.clear();
    }
  }

  /** Log requests with follow=true that are still open. */
  followerCount(): number {
    return [...this.logs.values()].reduce((sum, log) => sum + log.followers.size, 0);
  }

  /** Answers a log request for `pod`, whose container has started. */
  serve(req: RecordedRequest, res: ServerResponse, pod: KubeObject): void {
    const log = this.logOf(pod);
    const since = req.query.sinceTime ? sinceNanos(req.query.sinceTime) : undefined;
    if (since === null) {
      return send(res, 400, statusObject(400, 'BadRequest', 'sinceTime must be RFC 3339'));
    }
    const timestamps = req.query.timestamps === 'true';
    res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    const lines = log.lines.filter((line) => since === undefined || line.nanos >= since);
    res.write(renderLog(lines, timestamps));
    if (req.query.follow !== 'true' || log.finished) return void res.end();
    log.followers.set(res, { timestamps });
    res.on('close', () => log.followers.delete(res));
  }

  /** Strictly increasing, like one container's log. */
  private logTimestamp(): { time: string; nanos: bigint } {
    const nanos = bigMax(BigInt(Date.now()) * 1_000_000n, this.lastLogNanos + 1n);
    this.lastLogNanos = nanos;
    const seconds = new Date(Number(nanos / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
    const fraction = String(nanos % 1_000_000_000n)
      .padStart(9, '0')
      .replace(/0+$/, '');
    return { time: `${seconds}${fraction ? `.${fraction}` : ''}Z`, nanos };
  }

  private logOf(pod: KubeObject): PodLog {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    let log = this.logs.get(key);
    if (!log) this.logs.set(key, (log = { lines: [], finished: false, followers: new Map() }));
    return log;
  }
}

function renderLog(lines: LogLine[], timestamps: boolean): string {
  return lines.map((line) => `${timestamps ? `${line.time} ` : ''}${line.text}\n`).join('');
}

/**
 * sinceTime is a metav1.Time, which the API server serialises with whole seconds; the
 * fake ignores a fraction, so a client must expect the lines of that whole second again.
 * Null when the value is not a time at all.
 */
function sinceNanos(text: string): bigint | null {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(text);
  const ms = match ? Date.parse(`${match[1]}${match[2]}`) : NaN;
  return Number.isNaN(ms) ? null : BigInt(ms) * 1_000_000n;
}

function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
