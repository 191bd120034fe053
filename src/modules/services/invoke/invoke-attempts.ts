// The replicas one invocation has tried, and whether a failure lets it try another:
// a replica that was never reached leaves the request untouched, so the next one is
// tried, as long as any is left; a connection that broke before any answer came back
// is tried again once, on another replica, since the replica may have run the request
// before it died (a POST can run twice; see "Invocation" in docs/architecture.md).
import type { UpstreamFailure } from './upstream-failure';

/** Requests whose connection broke are sent again this many times at most. */
const RESETS_RETRIED = 1;

export class InvokeAttempts {
  readonly tried = new Set<string>();
  private resets = 0;

  /** `retryResets`: false when the request cannot be sent again (its body was not kept). */
  constructor(private readonly retryResets: boolean) {}

  sentTo(url: string): void {
    this.tried.add(url);
  }

  /** Whether the request goes to another replica after this failure. */
  triesAnother(failure: UpstreamFailure): boolean {
    if (failure === 'unreached') return true;
    if (failure !== 'reset' || !this.retryResets || this.resets >= RESETS_RETRIED) return false;
    this.resets++;
    return true;
  }

  /** Sent more than once: what the retries counter counts. */
  get retried(): boolean {
    return this.tried.size > 1;
  }
}
