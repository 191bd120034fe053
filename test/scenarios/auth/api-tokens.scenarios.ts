// API tokens: shown once, scoped, revocable, expiring.
import type { components } from '@kiln/client';
import { waitUntil } from '../../../src/common/wait-until';
import { AuthWorld, expectProblem, fieldsOf } from './auth-world';

type NewApiToken = components['schemas']['CreateApiTokenDto'];

export function apiTokenScenarios(worldOf: () => AuthWorld): void {
  describe('API tokens', () => {
    let world: AuthWorld;

    beforeAll(() => {
      world = worldOf();
    });

    const me = (token: string) => world.as(token).GET('/api/v1/auth/me');
    const createToken = (token: string, body: NewApiToken) =>
      world.as(token).POST('/api/v1/auth/tokens', { body });

    it('shows a kiln_ secret once, works as a bearer token and never lists the secret', async () => {
      const created = await createToken(world.tokens.alice, { name: 'laptop' });
      expect(created.response.status).toBe(201);
      expect(created.response.headers.get('cache-control')).toBe('no-store');
      expect(created.data).toMatchObject({
        name: 'laptop',
        scopes: null,
        token: expect.stringMatching(/^kiln_[A-Za-z0-9_-]{43}$/),
      });
      const secret = created.data!.token;

      const mine = await me(secret);
      expect(mine.response.status).toBe(200);
      expect(mine.data?.id).toBe(world.ids.alice);

      const listed = await world.as(world.tokens.alice).GET('/api/v1/auth/tokens');
      const entry = listed.data!.items.find((token) => token.id === created.data!.id);
      expect(entry).toMatchObject({
        name: 'laptop',
        hint: secret.slice(0, 9),
        lastUsedAt: expect.any(String),
      });
      expect(entry).not.toHaveProperty('token');
      expect(JSON.stringify(listed.data)).not.toContain(secret);
    });

    it('respects its scopes: a read-only token reads but cannot write or mint tokens (403)', async () => {
      const secret = (await createToken(world.tokens.alice, { name: 'ro', scopes: ['tasks:read'] }))
        .data!.token;
      // the notes are a test module's routes, outside the spec
      expect((await world.raw('GET', '/test-notes', { token: secret })).status).toBe(200);
      expectProblem(
        await world.raw('POST', '/test-notes', { body: { text: 'x' }, token: secret }),
        403,
      );
      expectProblem(await createToken(secret, { name: 'escalate' }), 403);
    });

    it('rejects unknown scopes and an expiry in the past with 400', async () => {
      // raw: a scope the spec's enum does not allow
      const unknownScope = await world.raw('POST', '/auth/tokens', {
        body: { name: 'x', scopes: ['root:all'] },
        token: world.tokens.alice,
      });
      expectProblem(unknownScope, 400);
      expect(fieldsOf(unknownScope)).toEqual(['scopes']);
      const past = await createToken(world.tokens.alice, {
        name: 'x',
        expiresAt: '2001-01-01T00:00:00Z',
      });
      expectProblem(past, 400);
      expect(fieldsOf(past)).toEqual(['expiresAt']);
    });

    it('stops working once revoked, and another member cannot revoke it (404)', async () => {
      const created = (await createToken(world.tokens.alice, { name: 'ci' })).data!;
      const revoke = (token: string) =>
        world.as(token).DELETE('/api/v1/auth/tokens/{id}', {
          params: { path: { id: created.id } },
        });
      expectProblem(await revoke(world.tokens.bob), 404);
      expect((await me(created.token)).response.status).toBe(200);
      expect((await revoke(world.tokens.alice)).response.status).toBe(204);
      expectProblem(await me(created.token), 401);
      const listed = await world.as(world.tokens.alice).GET('/api/v1/auth/tokens');
      expect(listed.data!.items.map((token) => token.id)).not.toContain(created.id);
    });

    it('stops working once expired', async () => {
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      const secret = (await createToken(world.tokens.alice, { name: 'short', expiresAt })).data!
        .token;
      expect((await me(secret)).response.status).toBe(200);
      const expired = await waitUntil(async () => (await me(secret)).response.status === 401, {
        timeoutMs: 10_000,
        intervalMs: 250,
      });
      expect(expired.satisfied).toBe(true);
    });

    it('rejects an unknown kiln_ token with 401', async () => {
      expectProblem(await me(`kiln_${'A'.repeat(43)}`), 401);
    });
  });
}
