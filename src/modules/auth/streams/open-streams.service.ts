// The open Server-Sent Events streams of this process: capped per user and in total,
// and checked together against the access of whoever opened them, at once after any
// replica revoked a credential (CredentialCache's change signal) and at an interval for
// what expires by itself (an API token) or a change signal that was lost. A stream
// outlives the authentication of the request that opened it, so without this a
// disabled user (or a revoked session or API token) would keep receiving events.
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { SseStream } from '../../../common/http/sse';
import { KilnConfig } from '../../../config/kiln.config';
import { ApiTokensRepository } from '../api-tokens/api-tokens.repository';
import { CredentialCache } from '../credential-cache';
import { Principal } from '../principal';
import { SessionsRepository } from '../sessions/sessions.repository';
import { TooManyStreamsError } from './too-many-streams.error';

/** Long enough for a stream to end somewhere; a client retrying at once gains nothing. */
const RETRY_AFTER_SECONDS = 10;

@Injectable()
export class OpenStreams implements OnModuleDestroy {
  private readonly logger = new Logger(OpenStreams.name);
  private readonly streams = new Map<SseStream, Principal>();
  private readonly perUser = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private checkAgain = false;

  constructor(
    private readonly config: KilnConfig,
    private readonly sessions: SessionsRepository,
    private readonly apiTokens: ApiTokensRepository,
    credentials: CredentialCache,
  ) {
    credentials.onChange(() => void this.closeThoseWithoutAccess());
  }

  get size(): number {
    return this.streams.size;
  }

  /**
   * Opens a stream for `principal` with `start` if the caps allow, else throws
   * TooManyStreamsError (before `start` takes the response over, so the 429 can go out).
   */
  open(principal: Principal, start: () => SseStream): SseStream {
    this.assertRoom(principal.userId);
    const stream = start();
    this.streams.set(stream, principal);
    this.perUser.set(principal.userId, (this.perUser.get(principal.userId) ?? 0) + 1);
    stream.signal.addEventListener('abort', () => this.forget(stream), { once: true });
    this.timer ??= setInterval(() => void this.closeThoseWithoutAccess(), this.checkEveryMs);
    this.timer.unref();
    return stream;
  }

  /** Ends every stream whose user is disabled or whose session or API token has ended. */
  async closeThoseWithoutAccess(): Promise<void> {
    if (this.streams.size === 0) return;
    if (this.checking) {
      // a change may have landed after the running check read the database
      this.checkAgain = true;
      return;
    }
    this.checking = true;
    try {
      const open = [...this.streams];
      const [sessions, tokens] = await Promise.all([
        this.sessions.findLiveSessionIds(unique(open.map(([, p]) => p.sessionId))),
        this.apiTokens.findLiveTokenIds(unique(open.map(([, p]) => p.apiTokenId)), new Date()),
      ]);
      for (const [stream, principal] of open) {
        const lost =
          (principal.sessionId !== undefined && !sessions.has(principal.sessionId)) ||
          (principal.apiTokenId !== undefined && !tokens.has(principal.apiTokenId));
        if (lost) stream.close();
      }
    } catch (error) {
      // The next check tries again; a database outage must not end every stream.
      this.logger.warn({ err: error }, 'checking the access of open streams failed');
    } finally {
      this.checking = false;
      if (this.checkAgain) {
        this.checkAgain = false;
        void this.closeThoseWithoutAccess();
      }
    }
  }

  /** At shutdown: an open stream would hold the server's close until its client left. */
  onModuleDestroy(): void {
    this.stopChecking();
    for (const stream of [...this.streams.keys()]) stream.close();
  }

  private stopChecking(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private get checkEveryMs(): number {
    return this.config.http.streamAccessCheckMs;
  }

  private assertRoom(userId: string): void {
    const { maxStreamsPerUser, maxStreams } = this.config.http;
    if ((this.perUser.get(userId) ?? 0) >= maxStreamsPerUser) {
      throw new TooManyStreamsError(
        `You have ${maxStreamsPerUser} streams open, the most allowed; close one first.`,
        RETRY_AFTER_SECONDS,
      );
    }
    if (this.streams.size >= maxStreams) {
      throw new TooManyStreamsError(
        'Kiln has as many streams open as it accepts; try again later.',
        RETRY_AFTER_SECONDS,
      );
    }
  }

  private forget(stream: SseStream): void {
    const principal = this.streams.get(stream);
    if (!principal) return;
    this.streams.delete(stream);
    const count = (this.perUser.get(principal.userId) ?? 1) - 1;
    if (count > 0) this.perUser.set(principal.userId, count);
    else this.perUser.delete(principal.userId);
    if (this.streams.size === 0) this.stopChecking();
  }
}

function unique(values: Array<string | undefined>): string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined))];
}
