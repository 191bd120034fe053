// Password login, refresh-token rotation, logout and password changes.
import { decodeJwtPayload } from '../../support/jwt-forge';
import { AuthWorld, expectProblem, fieldsOf, PASSWORD } from './auth-world';

export function sessionScenarios(worldOf: () => AuthWorld): void {
  describe('password login and sessions', () => {
    let api: AuthWorld['api'];
    let tokens: AuthWorld['tokens'];
    let ids: AuthWorld['ids'];
    let login: AuthWorld['login'];
    let createUser: AuthWorld['createUser'];

    beforeAll(() => {
      ({ api, tokens, ids, login, createUser } = worldOf());
    });

    it('logs in with the username in any letter case and answers tokens and the user', async () => {
      const response = await login('ALICE');
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
        user: expect.objectContaining({ id: ids.alice, username: 'alice', roles: ['member'] }),
      });
      expect(Object.keys(response.body.user).sort()).toEqual([
        'createdAt',
        'disabled',
        'displayName',
        'email',
        'id',
        'lastLoginAt',
        'roles',
        'updatedAt',
        'username',
      ]);
      expect(decodeJwtPayload(response.body.accessToken)).toMatchObject({
        sub: ids.alice,
        iss: 'kiln',
        aud: 'kiln-api',
      });
    });

    it('answers a wrong password and an unknown user with the same 401 problem', async () => {
      const wrongPassword = await login('alice', 'not the right password');
      const unknownUser = await login('nobody-here', 'not the right password');
      expectProblem(wrongPassword, 401);
      expectProblem(unknownUser, 401);
      expect(unknownUser.body.detail).toBe(wrongPassword.body.detail);
      expect(unknownUser.body.type).toBe(wrongPassword.body.type);
    });

    it('answers a request without credentials with 401 problem+json and WWW-Authenticate', async () => {
      const response = await api.get('/auth/me');
      expectProblem(response, 401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('returns the signed-in user from /auth/me', async () => {
      const response = await api.get('/auth/me', tokens.alice);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: ids.alice,
        username: 'alice',
        lastLoginAt: expect.any(String),
      });
    });

    it('rotates the refresh token on every refresh and the new access token works', async () => {
      const first = (await login('alice')).body;
      const second = await api.post('/auth/refresh', { refreshToken: first.refreshToken });
      expect(second.status).toBe(200);
      expect(second.body.refreshToken).not.toBe(first.refreshToken);
      expect(second.body.accessToken).not.toBe(first.accessToken);
      expect((await api.get('/auth/me', second.body.accessToken)).status).toBe(200);
      const third = await api.post('/auth/refresh', { refreshToken: second.body.refreshToken });
      expect(third.status).toBe(200);
    });

    it('revokes the whole session when a spent refresh token is presented again', async () => {
      const first = (await login('alice')).body;
      const second = (await api.post('/auth/refresh', { refreshToken: first.refreshToken })).body;
      const replay = await api.post('/auth/refresh', { refreshToken: first.refreshToken });
      expectProblem(replay, 401);
      expectProblem(await api.post('/auth/refresh', { refreshToken: second.refreshToken }), 401);
      expectProblem(await api.get('/auth/me', second.accessToken), 401);
      expect((await api.get('/auth/me', tokens.alice)).status).toBe(200);
    });

    it('ends the session on logout: its refresh and access tokens stop working', async () => {
      const session = (await login('alice')).body;
      const response = await api.post('/auth/logout', { refreshToken: session.refreshToken });
      expect(response.status).toBe(204);
      expectProblem(await api.get('/auth/me', session.accessToken), 401);
      expectProblem(await api.post('/auth/refresh', { refreshToken: session.refreshToken }), 401);
    });

    it('rejects an unknown refresh token with 401', async () => {
      expectProblem(await api.post('/auth/refresh', { refreshToken: 'not-a-token' }), 401);
    });

    it('changes the password only with the current one and ends the other sessions', async () => {
      await createUser('carol', ['member']);
      const kept = (await login('carol')).body;
      const other = (await login('carol')).body;
      const newPassword = api.rememberSecret('a brand new secret passphrase');
      const wrong = await api.post(
        '/auth/me/password',
        { currentPassword: api.rememberSecret('wrong current password'), newPassword },
        kept.accessToken,
      );
      expectProblem(wrong, 400);
      expect(fieldsOf(wrong)).toEqual(['currentPassword']);

      const changed = await api.post(
        '/auth/me/password',
        { currentPassword: PASSWORD, newPassword },
        kept.accessToken,
      );
      expect(changed.status).toBe(204);
      expect((await api.get('/auth/me', kept.accessToken)).status).toBe(200);
      expectProblem(await api.get('/auth/me', other.accessToken), 401);
      expectProblem(await api.post('/auth/refresh', { refreshToken: other.refreshToken }), 401);
      expectProblem(await login('carol'), 401);
      expect((await login('carol', newPassword)).status).toBe(200);
    });

    it('refuses a new password that is too short or contains the username', async () => {
      const response = await api.post(
        '/auth/me/password',
        { currentPassword: PASSWORD, newPassword: api.rememberSecret('xALICEx') },
        tokens.alice,
      );
      expectProblem(response, 400);
      expect(fieldsOf(response)).toEqual(['newPassword', 'newPassword']);
    });
  });
}
