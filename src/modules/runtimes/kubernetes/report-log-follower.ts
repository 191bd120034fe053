// Follows one running pod's log in the background and hands each line on exactly once,
// resuming after a dropped connection from a LogCheckpoint instead of from the start.
import { Logger } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { backoffDelay } from '../../../common/retry/retry';
import type { KubeApiGateway } from './cluster/kube-api.gateway';
import { isNotFound } from './cluster/kube-api-error';
import { LogCheckpoint, splitTimestamp } from './cluster/log-checkpoint';
import { PodLogTarget, podLogLines } from './cluster/pod-log.stream';

export interface ReportLogSource {
  api: KubeApiGateway;
  target: PodLogTarget;
  /** True once the container writes no more: it terminated, or its pod is gone. */
  ended(): Promise<boolean>;
  /** The time of the newest line an earlier reader delivered, when the reporter keeps it. */
  lastReportedAt?(): Promise<Date | undefined>;
}

export type LineSink = (text: string, time: Date) => void;

const RECONNECT = { attempts: Infinity, baseDelayMs: 200, maxDelayMs: 10_000 };

export class ReportLogFollower {
  private readonly logger = new Logger(ReportLogFollower.name);
  private readonly stopped = new AbortController();
  private reading: AbortController | undefined;
  private draining = false;
  /** Settles when the follower has stopped; true when it read the log to its end. */
  readonly done: Promise<boolean>;

  constructor(
    private readonly source: ReportLogSource,
    private readonly checkpoint: LogCheckpoint,
    private readonly onLine: LineSink,
  ) {
    this.done = this.run();
  }

  /** The run ended: read what is left of the log once, then stop. */
  drain(): void {
    this.draining = true;
    this.reading?.abort();
  }

  /** Stops at once (shutdown, leadership lost, run deleted). */
  stop(): void {
    this.stopped.abort();
  }

  private async run(): Promise<boolean> {
    let skippedDelivered = false;
    for (let failures = 0; !this.stopped.signal.aborted;) {
      try {
        skippedDelivered ||= await this.skipDelivered();
        const last = this.draining || (await this.source.ended());
        await this.readOnce(!last);
        if (last) return !this.stopped.signal.aborted;
        // The stream ended while the container still ran: a dropped connection, or the
        // container exiting before the watch shows it. Either way, read on from the checkpoint.
        failures = 1;
      } catch (error) {
        if (isNotFound(error)) return true; // the pod, and its log, are gone
        if (this.stopped.signal.aborted) break;
        failures++;
        this.logger.warn(`log of ${this.describe()} interrupted (${String(error)})`);
      }
      await this.pause(backoffDelay(failures, RECONNECT));
    }
    return false;
  }

  /**
   * Another process (the previous leader, this one before a restart) may have read this
   * log and stored its points already; this process's checkpoint knows nothing of that,
   * or only of what it read before it last lost the lead. So every follower starts after
   * the newest stored point, which also makes its first read start near there
   * (sinceTime) instead of at the top of a long log. Progress lines before it are
   * skipped too: the reader who delivered the point delivered those as well.
   */
  private async skipDelivered(): Promise<true> {
    const time = await this.source.lastReportedAt?.();
    if (time) this.checkpoint.skipThrough(time);
    return true;
  }

  private async readOnce(follow: boolean): Promise<void> {
    const reading = new AbortController();
    this.reading = reading;
    const abort = () => reading.abort();
    this.stopped.signal.addEventListener('abort', abort, { once: true });
    if (follow && this.draining) reading.abort();
    this.checkpoint.beginRead();
    const options = {
      follow,
      timestamps: true,
      sinceTime: this.checkpoint.sinceTime,
      signal: reading.signal,
    };
    try {
      for await (const raw of podLogLines(this.source.api, this.source.target, options)) {
        if (this.stopped.signal.aborted) return;
        const line = splitTimestamp(raw);
        if (!line) this.onLine(raw, new Date());
        else if (this.checkpoint.accept(line)) this.onLine(line.text, line.time);
      }
    } finally {
      this.stopped.signal.removeEventListener('abort', abort);
    }
  }

  private async pause(ms: number): Promise<void> {
    await delay(ms, undefined, { signal: this.stopped.signal }).catch(() => undefined);
  }

  private describe(): string {
    const { namespace, pod } = this.source.target;
    return `${namespace}/${pod}`;
  }
}
