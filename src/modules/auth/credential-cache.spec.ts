import { testConfig } from '../../../test/support/test-config';
import { MemoryWakeups } from '../../infra/wakeups/memory-wakeups';
import { CredentialCache } from './credential-cache';
import { Principal } from './principal';
import { Role } from './role';

describe('CredentialCache', () => {
  it('hands out a principal no request can change for the next', async () => {
    const cache = new CredentialCache(new MemoryWakeups(), testConfig());
    const check = async () => ({
      value: { userId: 'u1', username: 'alice', roles: [Role.Member], scopes: 'all' } as Principal,
    });

    const shared = await cache.principalOf('a bearer token', check);

    expect(() => shared.roles.push(Role.Admin)).toThrow(TypeError);
    expect((await cache.principalOf('a bearer token', check)).roles).toEqual([Role.Member]);
  });

  it('checks again after a revocation', async () => {
    const cache = new CredentialCache(new MemoryWakeups(), testConfig());
    let checks = 0;
    const check = async () => {
      checks++;
      return { value: { userId: 'u1', username: 'alice', roles: [], scopes: 'all' } as Principal };
    };
    await cache.principalOf('a bearer token', check);
    await cache.principalOf('a bearer token', check);
    cache.credentialsChanged();
    await cache.principalOf('a bearer token', check);

    expect(checks).toBe(2);
  });
});
