import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { RedisLeaderLock } from './redis-leader-lock';

const TTL_MS = 3_000;
const RENEW_MS = TTL_MS / 3;
const SAFETY_MARGIN_MS = TTL_MS / 10;

/**
 * The lock key as Redis would keep it, answering the driver's three scripts (told apart
 * by what they call), on the fake clock. Every acquisition attempt is timestamped.
 */
class FakeLockStore {
  holder?: string;
  expiresAt = Infinity;
  epoch = 0;
  unreachable = false;
  hangRenewals = false;
  readonly attemptsAt: number[] = [];
  readonly renewalsAt: number[] = [];

  constructor(private readonly startedAt: number) {}

  readonly client = {
    on: () => undefined,
    off: () => undefined,
    eval: (script: string, keyCount: number, ...args: (string | number)[]) =>
      this.eval(script, args.slice(keyCount).map(String)),
  } as unknown as Redis;

  private eval(script: string, [token, ttl]: string[]): Promise<unknown> {
    if (script.includes("'NX'")) this.attemptsAt.push(this.now());
    else if (script.includes('PEXPIRE')) this.renewalsAt.push(this.now());
    if (this.unreachable) return Promise.reject(new Error('Connection is closed.'));
    if (Date.now() >= this.expiresAt) this.holder = undefined;
    if (script.includes("'NX'")) return Promise.resolve(this.acquire(token, Number(ttl)));
    if (script.includes('PEXPIRE'))
      return this.hangRenewals
        ? new Promise(() => undefined)
        : Promise.resolve(this.extend(token, Number(ttl)));
    if (this.holder === token) this.holder = undefined;
    return Promise.resolve(1);
  }

  private acquire(token: string, ttlMs: number): [number, number] {
    if (this.holder !== undefined && this.holder !== token) return [-this.epoch, this.pttl()];
    this.holder = token;
    this.expiresAt = Date.now() + ttlMs;
    return [++this.epoch, 0];
  }

  private extend(token: string, ttlMs: number): number {
    if (this.holder !== token) return 0;
    this.expiresAt = Date.now() + ttlMs;
    return 1;
  }

  private pttl(): number {
    return this.expiresAt === Infinity ? -1 : this.expiresAt - Date.now();
  }

  private now(): number {
    return Date.now() - this.startedAt;
  }
}

describe('RedisLeaderLock scheduling (fake timers, in-memory lock store)', () => {
  let store: FakeLockStore;
  let lock: RedisLeaderLock;

  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    store = new FakeLockStore(Date.now());
    lock = new RedisLeaderLock(store.client, { key: 'k', epochKey: 'k:epoch', ttlMs: TTL_MS });
  });

  afterEach(async () => {
    await lock.stop();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it("retries the moment a dead leader's key expires, not at its next renewal interval", async () => {
    store.holder = 'dead-leader';
    store.expiresAt = Date.now() + 2_500;
    store.epoch = 7;
    lock.start();

    await jest.advanceTimersByTimeAsync(2_504);
    expect(lock.isLeader).toBe(false);
    await jest.advanceTimersByTimeAsync(1);

    expect(store.attemptsAt).toEqual([0, RENEW_MS, 2 * RENEW_MS, 2_505]);
    expect(lock.isLeader).toBe(true);
    expect(lock.term?.epoch).toBe(8);
  });

  it.each([
    ['a live leader renews its key', 60_000],
    ['the key has no expiry', Infinity],
  ])('tries every renewal interval while %s', async (_case, expiresInMs) => {
    store.holder = 'other';
    store.expiresAt = Date.now() + expiresInMs;
    lock.start();

    await jest.advanceTimersByTimeAsync(3 * RENEW_MS);

    expect(store.attemptsAt).toEqual([0, RENEW_MS, 2 * RENEW_MS, 3 * RENEW_MS]);
    expect(lock.isLeader).toBe(false);
  });

  it('never leads, and tries every renewal interval, while Redis is unreachable', async () => {
    store.unreachable = true;
    lock.start();

    await jest.advanceTimersByTimeAsync(3 * RENEW_MS);

    expect(store.attemptsAt).toEqual([0, RENEW_MS, 2 * RENEW_MS, 3 * RENEW_MS]);
    expect(lock.isLeader).toBe(false);
  });

  it('takes a free lock at once and renews it every renewal interval', async () => {
    lock.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(lock.term?.epoch).toBe(1);

    await jest.advanceTimersByTimeAsync(3 * RENEW_MS);

    expect(store.renewalsAt).toEqual([RENEW_MS, 2 * RENEW_MS, 3 * RENEW_MS]);
    expect(lock.isLeader).toBe(true);
  });

  it('ends the term a safety margin before its key could expire when renewals hang', async () => {
    lock.start();
    await jest.advanceTimersByTimeAsync(0);
    const { signal } = lock.term!;
    store.hangRenewals = true;

    await jest.advanceTimersByTimeAsync(TTL_MS - SAFETY_MARGIN_MS - 1);
    expect(lock.isLeader).toBe(true);
    await jest.advanceTimersByTimeAsync(1);

    expect(lock.isLeader).toBe(false);
    expect(signal.aborted).toBe(true);
    expect(store.expiresAt).toBeGreaterThan(Date.now()); // nobody else could lead yet
  });
});
