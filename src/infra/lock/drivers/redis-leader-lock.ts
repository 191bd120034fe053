// The production leader lock: a Redis key holding this process's random token with a
// TTL. Only the holder can extend or delete it (compare-and-extend/delete in Lua), and
// the holder counts its lease from when it *sent* each request, so it stops leading a
// safety margin before Redis could hand the key to someone else. It fails closed: no
// Redis, no leader. A standby learns when the leader's key expires from each failed
// attempt and tries again at that moment, so a dead leader is replaced within its TTL.
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { LeadershipTerm } from '../leader-lock.port';
import { LeadershipState } from '../leadership-state';
import { ManagedLeaderLock } from '../managed-leader-lock';
import { messageOf } from '../../../common/errors/message-of';

export interface RedisLeaderLockOptions {
  /** Full Redis key of the lock (prefix included). */
  key: string;
  /** Full Redis key of the epoch counter. */
  epochKey: string;
  ttlMs: number;
}

/**
 * Takes the lock (SET NX PX, or re-takes it if it still holds our own token after a
 * term ended locally) and opens a new epoch in the same atomic step. `floor` keeps the
 * epoch above any this process has seen, should Redis come back without its data.
 * Returns [new epoch (> 0), 0], or, when someone else leads, [minus the current epoch,
 * the lock's PTTL] (the PTTL is -1 for a key without expiry).
 */
const ACQUIRE = `
local acquired = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
if not acquired and redis.call('GET', KEYS[1]) == ARGV[1] then
  acquired = redis.call('PEXPIRE', KEYS[1], ARGV[2]) == 1
end
if not acquired then
  return {-tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('PTTL', KEYS[1])}
end
local epoch = redis.call('INCR', KEYS[2])
local floor = tonumber(ARGV[3])
if epoch < floor then
  redis.call('SET', KEYS[2], floor)
  epoch = floor
end
return {epoch, 0}
`;

const EXTEND_IF_OWNED = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/**
 * How long after the leader's key expires a standby tries again: PTTL is in whole ms, so
 * a few more put the retry past the expiry; one that still lands early costs a round trip.
 */
const AFTER_EXPIRY_MS = 5;

const DELETE_IF_OWNED = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

export class RedisLeaderLock implements ManagedLeaderLock {
  private readonly logger = new Logger('LeaderLock');
  private readonly state = new LeadershipState(this.logger);
  private readonly token = randomUUID();
  /**
   * A renewal every third of the TTL; a standby tries to take over as often, or sooner
   * when the leader's key expires before then.
   */
  readonly renewEveryMs: number;
  /** Leadership ends this long before the lease could expire in Redis. */
  private readonly safetyMarginMs: number;
  private leaseEndsAt = 0;
  private highestEpochSeen = 0;
  private stepping = false;
  private stopped = false;
  private nextStep?: NodeJS.Timeout;
  private deadline?: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisLeaderLockOptions,
  ) {
    this.renewEveryMs = Math.max(100, Math.floor(options.ttlMs / 3));
    this.safetyMarginMs = Math.max(50, Math.floor(options.ttlMs / 10));
  }

  get isLeader(): boolean {
    return this.state.isLeader;
  }

  get term(): LeadershipTerm | undefined {
    return this.state.term;
  }

  onChange(listener: (isLeader: boolean) => void): () => void {
    return this.state.onChange(listener);
  }

  start(): void {
    this.stopped = false;
    this.redis.on('ready', this.stepSoon);
    this.redis.on('close', this.onConnectionClosed);
    this.stepSoon();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.nextStep);
    this.redis.off('ready', this.stepSoon);
    this.redis.off('close', this.onConnectionClosed);
    this.lose('released at shutdown');
    // With Redis down the command would wait out every reconnect attempt; the key expires
    // by its TTL, and nobody can take it before Redis is back anyway.
    if (this.redis.status !== 'ready') return;
    try {
      // Even without a live term the key may still hold our token (a renewal that
      // succeeded too late); deleting it lets a standby take over without waiting.
      await this.redis.eval(DELETE_IF_OWNED, 1, this.options.key, this.token);
    } catch (error) {
      this.logger.warn(`Could not release the leader lock (${messageOf(error)}); it expires`);
    }
  }

  private readonly stepSoon = (): void => {
    void this.step();
  };

  private readonly onConnectionClosed = (): void => {
    this.lose('lost the connection to Redis');
  };

  /**
   * One renewal or takeover attempt, then the next one is scheduled. A call while one is
   * under way (a reconnect, or a timer during a slow reply) does nothing: the step under
   * way schedules the next.
   */
  private async step(): Promise<void> {
    if (this.stepping || this.stopped) return;
    this.stepping = true;
    const startedAt = performance.now();
    let nextAt = startedAt + this.renewEveryMs;
    try {
      if (this.state.isLeader) await this.renew();
      else nextAt = Math.min(nextAt, await this.tryAcquire());
    } catch (error) {
      if (this.state.isLeader) this.lose(`renewal failed (${messageOf(error)})`);
      else this.logger.debug(`Could not try for leadership: ${messageOf(error)}`);
    } finally {
      this.stepping = false;
      this.scheduleStep(nextAt);
    }
  }

  private scheduleStep(at: number): void {
    clearTimeout(this.nextStep);
    if (this.stopped) return;
    this.nextStep = setTimeout(this.stepSoon, Math.max(0, at - performance.now()));
  }

  /** When (performance.now() time) to try again before the usual interval; Infinity if not. */
  private async tryAcquire(): Promise<number> {
    const sentAt = performance.now();
    const [reply, lockExpiresInMs] = (
      (await this.redis.eval(
        ACQUIRE,
        2,
        this.options.key,
        this.options.epochKey,
        this.token,
        this.options.ttlMs,
        this.highestEpochSeen + 1,
      )) as unknown[]
    ).map(Number);
    this.highestEpochSeen = Math.max(this.highestEpochSeen, Math.abs(reply));
    if (reply <= 0) return retryAfterExpiry(lockExpiresInMs);
    if (this.stopped) return Infinity;
    this.leaseEndsAt = sentAt + this.options.ttlMs;
    if (!this.leaseStillSafe()) return Infinity; // the reply took most of the TTL; try again
    this.state.begin(reply);
    this.armDeadline();
    return Infinity;
  }

  private async renew(): Promise<void> {
    const sentAt = performance.now();
    const extended = await this.redis.eval(
      EXTEND_IF_OWNED,
      1,
      this.options.key,
      this.token,
      this.options.ttlMs,
    );
    if (!this.state.isLeader) return; // the deadline ended the term while we waited
    if (extended !== 1) return this.lose('the lock expired or was taken over');
    if (!this.leaseStillSafe()) return this.lose('the renewal came back too late');
    this.leaseEndsAt = sentAt + this.options.ttlMs;
    this.armDeadline();
  }

  private leaseStillSafe(): boolean {
    return performance.now() < this.leaseEndsAt - this.safetyMarginMs;
  }

  /** Ends the term on time even when a renewal hangs instead of failing. */
  private armDeadline(): void {
    clearTimeout(this.deadline);
    const remaining = this.leaseEndsAt - this.safetyMarginMs - performance.now();
    this.deadline = setTimeout(
      () => this.lose('the lease ran out before a renewal succeeded'),
      Math.max(0, remaining),
    );
  }

  private lose(reason: string): void {
    clearTimeout(this.deadline);
    this.state.end(reason);
  }
}

/**
 * The PTTL was read when Redis ran the script, before the reply left, so counting it
 * from now puts the retry at or after the expiry. A key without expiry (-1) gives no
 * moment to aim for.
 */
function retryAfterExpiry(lockExpiresInMs: number): number {
  if (!(lockExpiresInMs >= 0)) return Infinity;
  return performance.now() + lockExpiresInMs + AFTER_EXPIRY_MS;
}
