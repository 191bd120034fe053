// The principals of bearer credentials checked in the last moment, so a client sending a
// steady stream of requests (an inference caller, a console polling a list) does not
// cost a signature check and a database read on each: those were a fifth of the CPU of
// a proxied invocation. Every change that can end a credential or change its principal
// (a session or API token revoked, a user disabled or given other roles) empties the
// cache of every replica through the wakeups bus, so revocation still takes effect at
// once: synchronously in the replica that made the change, over Redis pub/sub in the
// others. A lost message (pub/sub is best effort) is bounded by auth.credentialCacheMs.
import { Inject, Injectable } from '@nestjs/common';
import { KilnConfig } from '../../config/kiln.config';
import { WAKEUPS, Wakeups } from '../../infra/wakeups/wakeups.port';
import { Principal } from './principal';

const TOPIC = 'auth.credentials-changed';
/** Entries kept at most; past it the cache starts over rather than track recency. */
const MAX_ENTRIES = 10_000;

interface Entry {
  principal: Principal;
  until: number;
}

/** A lookup begun before a change must not store what it read before the change. */
export interface CredentialCheck {
  readonly generation: number;
}

@Injectable()
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private readonly maxAgeMs: number;

  constructor(
    @Inject(WAKEUPS) private readonly wakeups: Wakeups,
    config: KilnConfig,
  ) {
    this.maxAgeMs = config.auth.credentialCacheMs;
    wakeups.on(TOPIC, () => this.forgetAll());
  }

  /** The principal of `bearer` if it was checked a moment ago and nothing changed since. */
  get(bearer: string): Principal | undefined {
    const entry = this.entries.get(bearer);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.principal;
    this.entries.delete(bearer);
    return undefined;
  }

  /** Marks the start of a check against the database, to be passed to `remember`. */
  begin(): CredentialCheck {
    return { generation: this.generation };
  }

  /**
   * Keeps what a check found, for the configured time or until `expiresAt` (ms since
   * the epoch) if sooner; unless a change happened while the check ran.
   */
  remember(check: CredentialCheck, bearer: string, principal: Principal, expiresAt?: number): void {
    if (this.maxAgeMs === 0 || check.generation !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const until = Math.min(Date.now() + this.maxAgeMs, expiresAt ?? Infinity);
    // shared by every request of the credential until it expires: nobody may change it
    Object.freeze(principal.roles);
    this.entries.set(bearer, { principal: Object.freeze(principal), until });
  }

  /** Calls `listener` after each such change, on every replica, once the cache is empty. */
  onChange(listener: () => void): void {
    this.wakeups.on(TOPIC, listener);
  }

  /** To be called once a change that ends credentials or alters principals is committed. */
  credentialsChanged(): void {
    // the local listener runs synchronously, before this returns
    this.wakeups.wake(TOPIC);
  }

  private forgetAll(): void {
    this.generation++;
    this.entries.clear();
  }
}
