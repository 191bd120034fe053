// How long a crashed replica waits before its next start: doubling from the first
// delay up to a cap, like a pod in CrashLoopBackOff, and back to the first once a
// start has stayed up long enough to count as healthy.
export interface RestartBackoffOptions {
  firstMs: number;
  maxMs: number;
  /** Up this long, a replica's earlier crashes are forgiven. */
  resetAfterMs: number;
}

export const DEFAULT_RESTART_BACKOFF: RestartBackoffOptions = {
  firstMs: 500,
  maxMs: 30_000,
  resetAfterMs: 60_000,
};

export class RestartBackoff {
  private crashes = 0;

  constructor(private readonly options: RestartBackoffOptions = DEFAULT_RESTART_BACKOFF) {}

  /** The wait before restarting a replica that ran for `upMs` and then ended. */
  next(upMs: number): number {
    if (upMs >= this.options.resetAfterMs) this.crashes = 0;
    const delay = Math.min(this.options.firstMs * 2 ** this.crashes, this.options.maxMs);
    this.crashes++;
    return delay;
  }
}
