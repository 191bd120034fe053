import { testConfig } from '../../../test/support/test-config';
import { MemoryWakeups } from '../../infra/wakeups/memory-wakeups';
import { CredentialCache } from './credential-cache';
import { Principal } from './principal';
import { Role } from './role';

const BEARER = 'a bearer token';

function principal(roles: Role[] = [Role.Member]): Principal {
  return { userId: 'u1', username: 'alice', roles, scopes: 'all', sessionId: 's1' };
}

/** Two replicas' caches on one wakeups bus, as Redis pub/sub joins them. */
function caches(env: Record<string, string> = {}): [CredentialCache, CredentialCache] {
  const wakeups = new MemoryWakeups();
  const config = testConfig(env);
  return [new CredentialCache(wakeups, config), new CredentialCache(wakeups, config)];
}

describe('CredentialCache', () => {
  afterEach(() => jest.useRealTimers());

  it('answers a credential checked a moment ago, until its time is up', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const [cache] = caches({ KILN_AUTH_CREDENTIAL_CACHE_MS: '1000' });
    cache.remember(cache.begin(), BEARER, principal());

    jest.setSystemTime(1_000_999);
    expect(cache.get(BEARER)?.username).toBe('alice');
    jest.setSystemTime(1_001_000);
    expect(cache.get(BEARER)).toBeUndefined();
  });

  it('keeps a credential no longer than it lives', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const [cache] = caches({ KILN_AUTH_CREDENTIAL_CACHE_MS: '1000' });
    cache.remember(cache.begin(), BEARER, principal(), 1_000_300);

    jest.setSystemTime(1_000_300);
    expect(cache.get(BEARER)).toBeUndefined();
  });

  it('forgets every credential, in every replica, once one is revoked', () => {
    const [here, there] = caches();
    here.remember(here.begin(), BEARER, principal());
    there.remember(there.begin(), BEARER, principal());

    here.credentialsChanged();

    expect(here.get(BEARER)).toBeUndefined();
    expect(there.get(BEARER)).toBeUndefined();
  });

  it('does not keep what a check read before a change that landed while it ran', () => {
    const [here, there] = caches();
    const check = here.begin();
    there.credentialsChanged();
    here.remember(check, BEARER, principal([Role.Admin]));

    expect(here.get(BEARER)).toBeUndefined();
  });

  it('keeps nothing when the cache is turned off', () => {
    const [cache] = caches({ KILN_AUTH_CREDENTIAL_CACHE_MS: '0' });
    cache.remember(cache.begin(), BEARER, principal());

    expect(cache.get(BEARER)).toBeUndefined();
  });

  it('hands out a principal no request can change for the next', () => {
    const [cache] = caches();
    cache.remember(cache.begin(), BEARER, principal());

    const shared = cache.get(BEARER)!;
    expect(() => shared.roles.push(Role.Admin)).toThrow(TypeError);
    expect(cache.get(BEARER)!.roles).toEqual([Role.Member]);
  });
});
