// The principals of bearer credentials checked in the last moment, so a client sending a
// steady stream of requests (an inference caller, a console polling a list) does not
// cost a signature check and a database read on each: those were a fifth of the CPU of
// a proxied invocation. Every change that can end a credential or change its principal
// (a session or API token revoked, a user disabled or given other roles) empties the
// cache of every replica (see SignalledCache), so revocation still takes effect on the
// next request. A lost message between replicas is bounded by auth.credentialCacheMs.
import { Inject, Injectable } from '@nestjs/common';
import { KilnConfig } from '../../config/kiln.config';
import { type Loaded, SignalledCache } from '../../infra/wakeups/signalled-cache';
import { WAKEUPS, Wakeups } from '../../infra/wakeups/wakeups.port';
import { Principal } from './principal';

const TOPIC = 'auth.credentials-changed';

@Injectable()
export class CredentialCache {
  private readonly cache: SignalledCache<Principal>;

  constructor(@Inject(WAKEUPS) wakeups: Wakeups, config: KilnConfig) {
    this.cache = new SignalledCache(wakeups, TOPIC, config.auth.credentialCacheMs);
  }

  /**
   * The principal of `bearer`, checked a moment ago or by `check` now. The principal is
   * frozen: every request of the credential shares it until it is checked again.
   */
  principalOf(bearer: string, check: () => Promise<Loaded<Principal>>): Promise<Principal> {
    return this.cache.read(bearer, async () => {
      const { value: principal, expiresAt } = await check();
      Object.freeze(principal.roles);
      return { value: Object.freeze(principal), expiresAt };
    });
  }

  /** To be called once a change that ends credentials or alters principals is committed. */
  credentialsChanged(): void {
    this.cache.changed();
  }

  /** Calls `listener` after each such change, on every replica. */
  onChange(listener: () => void): void {
    this.cache.onChange(listener);
  }
}
