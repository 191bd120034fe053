// User administration by an admin.
import { randomUUID } from 'node:crypto';
import { AuthWorld, expectProblem, fieldsOf, PASSWORD } from './auth-world';

export function userAdministrationScenarios(worldOf: () => AuthWorld): void {
  describe('user administration', () => {
    let api: AuthWorld['api'];
    let adminToken: AuthWorld['adminToken'];
    let ids: AuthWorld['ids'];
    let login: AuthWorld['login'];

    beforeAll(() => {
      ({ api, adminToken, ids, login } = worldOf());
    });

    it('creates users with case-insensitive unique names (409 on a clash)', async () => {
      const clash = await api.post(
        '/admin/users',
        { username: 'ALICE', password: PASSWORD },
        adminToken,
      );
      expectProblem(clash, 409);
    });

    it('refuses a weak password for a new user with 400', async () => {
      const weak = await api.post(
        '/admin/users',
        { username: 'erin', password: api.rememberSecret('erin-1') },
        adminToken,
      );
      expectProblem(weak, 400);
      expect(fieldsOf(weak)).toContain('password');
    });

    it('lists users a page at a time with a cursor, and filters by role', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
        const page = await api.get(`/admin/users${query}`, adminToken);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((user: { username: string }) => user.username));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['alice', 'bob', 'carol', 'root', 'vera']);
      const viewers = await api.get('/admin/users?role=viewer', adminToken);
      expect(viewers.body.items.map((user: { username: string }) => user.username)).toEqual([
        'vera',
      ]);
      expectProblem(await api.get('/admin/users?cursor=garbage', adminToken), 400);
    });

    it('reads a user, 404 for an unknown id and 400 for a malformed one', async () => {
      expect((await api.get(`/admin/users/${ids.bob}`, adminToken)).body.username).toBe('bob');
      expectProblem(await api.get(`/admin/users/${randomUUID()}`, adminToken), 404);
      expectProblem(await api.get('/admin/users/not-a-uuid', adminToken), 400);
    });

    it('updates display name, email and roles', async () => {
      const response = await api.patch(
        `/admin/users/${ids.bob}`,
        { displayName: 'Bob B.', email: 'bob@example.com', roles: ['member', 'viewer'] },
        adminToken,
      );
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        displayName: 'Bob B.',
        email: 'bob@example.com',
        roles: ['member', 'viewer'],
      });
    });

    it('cuts a disabled user off at once, sessions and API tokens alike', async () => {
      const session = (await login('bob')).body;
      const apiToken = (await api.post('/auth/tokens', { name: 'bob-ci' }, session.accessToken))
        .body.token;
      const disabled = await api.patch(`/admin/users/${ids.bob}`, { disabled: true }, adminToken);
      expect(disabled.body.disabled).toBe(true);
      expectProblem(await api.get('/auth/me', session.accessToken), 401);
      expectProblem(await api.get('/auth/me', apiToken), 401);
      expectProblem(await api.post('/auth/refresh', { refreshToken: session.refreshToken }), 401);
      expectProblem(await login('bob'), 401);

      await api.patch(`/admin/users/${ids.bob}`, { disabled: false }, adminToken);
      expect((await login('bob')).status).toBe(200);
      expect((await api.get('/auth/me', apiToken)).status).toBe(200);
    });

    it('resets a password, ending the user’s sessions', async () => {
      const session = (await login('vera')).body;
      const password = api.rememberSecret('freshly reset passphrase 7');
      const reset = await api.post(`/admin/users/${ids.vera}/password`, { password }, adminToken);
      expect(reset.status).toBe(204);
      expectProblem(await api.get('/auth/me', session.accessToken), 401);
      expect((await login('vera', password)).status).toBe(200);
    });

    it('does not let an admin remove their own admin role or disable themselves as the last admin', async () => {
      const admin = (await api.get('/auth/me', adminToken)).body;
      expectProblem(
        await api.patch(`/admin/users/${admin.id}`, { roles: ['member'] }, adminToken),
        409,
      );
      expectProblem(
        await api.patch(`/admin/users/${admin.id}`, { disabled: true }, adminToken),
        409,
      );
      expect((await api.get('/auth/me', adminToken)).body.roles).toEqual(['admin']);
    });
  });
}
