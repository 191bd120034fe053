// API tokens: shown once, scoped, revocable, expiring.
import { waitUntil } from '../../../src/common/wait-until';
import { AuthWorld, expectProblem, fieldsOf } from './auth-world';

export function apiTokenScenarios(worldOf: () => AuthWorld): void {
  describe('API tokens', () => {
    let api: AuthWorld['api'];
    let tokens: AuthWorld['tokens'];
    let ids: AuthWorld['ids'];

    beforeAll(() => {
      ({ api, tokens, ids } = worldOf());
    });

    it('shows a kiln_ secret once, works as a bearer token and never lists the secret', async () => {
      const created = await api.post('/auth/tokens', { name: 'laptop' }, tokens.alice);
      expect(created.status).toBe(201);
      expect(created.headers.get('cache-control')).toBe('no-store');
      expect(created.body).toMatchObject({
        name: 'laptop',
        scopes: null,
        token: expect.stringMatching(/^kiln_[A-Za-z0-9_-]{43}$/),
      });
      const secret: string = created.body.token;

      const me = await api.get('/auth/me', secret);
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(ids.alice);

      const listed = await api.get('/auth/tokens', tokens.alice);
      const entry = listed.body.items.find((token: { id: string }) => token.id === created.body.id);
      expect(entry).toMatchObject({
        name: 'laptop',
        hint: secret.slice(0, 9),
        lastUsedAt: expect.any(String),
      });
      expect(entry.token).toBeUndefined();
      expect(listed.text).not.toContain(secret);
    });

    it('respects its scopes: a read-only token reads but cannot write or mint tokens (403)', async () => {
      const secret = (
        await api.post('/auth/tokens', { name: 'ro', scopes: ['tasks:read'] }, tokens.alice)
      ).body.token;
      expect((await api.get('/test-notes', secret)).status).toBe(200);
      expectProblem(await api.post('/test-notes', { text: 'x' }, secret), 403);
      expectProblem(await api.post('/auth/tokens', { name: 'escalate' }, secret), 403);
    });

    it('rejects unknown scopes and an expiry in the past with 400', async () => {
      const unknownScope = await api.post(
        '/auth/tokens',
        { name: 'x', scopes: ['root:all'] },
        tokens.alice,
      );
      expectProblem(unknownScope, 400);
      expect(fieldsOf(unknownScope)).toEqual(['scopes']);
      const past = await api.post(
        '/auth/tokens',
        { name: 'x', expiresAt: '2001-01-01T00:00:00Z' },
        tokens.alice,
      );
      expectProblem(past, 400);
      expect(fieldsOf(past)).toEqual(['expiresAt']);
    });

    it('stops working once revoked, and another member cannot revoke it (404)', async () => {
      const created = (await api.post('/auth/tokens', { name: 'ci' }, tokens.alice)).body;
      expectProblem(await api.delete(`/auth/tokens/${created.id}`, tokens.bob), 404);
      expect((await api.get('/auth/me', created.token)).status).toBe(200);
      expect((await api.delete(`/auth/tokens/${created.id}`, tokens.alice)).status).toBe(204);
      expectProblem(await api.get('/auth/me', created.token), 401);
      const listed = await api.get('/auth/tokens', tokens.alice);
      expect(listed.body.items.map((token: { id: string }) => token.id)).not.toContain(created.id);
    });

    it('stops working once expired', async () => {
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      const secret = (await api.post('/auth/tokens', { name: 'short', expiresAt }, tokens.alice))
        .body.token;
      expect((await api.get('/auth/me', secret)).status).toBe(200);
      const expired = await waitUntil(
        async () => (await api.get('/auth/me', secret)).status === 401,
        {
          timeoutMs: 10_000,
          intervalMs: 250,
        },
      );
      expect(expired.satisfied).toBe(true);
    });

    it('rejects an unknown kiln_ token with 401', async () => {
      expectProblem(await api.get('/auth/me', `kiln_${'A'.repeat(43)}`), 401);
    });
  });
}
