// Password login, refresh-token rotation, logout and password changes.
import { decodeJwtPayload } from '../../support/jwt-forge';
import { AuthWorld, expectProblem, fieldsOf, PASSWORD } from './auth-world';

export function sessionScenarios(worldOf: () => AuthWorld): void {
  describe('password login and sessions', () => {
    let world: AuthWorld;

    beforeAll(() => {
      world = worldOf();
    });

    const me = (token?: string) => world.as(token).GET('/api/v1/auth/me');
    const refresh = (refreshToken: string) =>
      world.as().POST('/api/v1/auth/refresh', { body: { refreshToken } });

    it('logs in with the username in any letter case and answers tokens and the user', async () => {
      const response = await world.login('ALICE');
      expect(response.response.status).toBe(200);
      expect(response.response.headers.get('cache-control')).toBe('no-store');
      expect(response.data).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
        user: expect.objectContaining({
          id: world.ids.alice,
          username: 'alice',
          roles: ['member'],
        }),
      });
      expect(Object.keys(response.data!.user).sort()).toEqual([
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
      expect(decodeJwtPayload(response.data!.accessToken)).toMatchObject({
        sub: world.ids.alice,
        iss: 'kiln',
        aud: 'kiln-api',
      });
    });

    it('answers a wrong password and an unknown user with the same 401 problem', async () => {
      const wrongPassword = await world.login('alice', 'not the right password');
      const unknownUser = await world.login('nobody-here', 'not the right password');
      expectProblem(wrongPassword, 401);
      expectProblem(unknownUser, 401);
      expect(unknownUser.error?.detail).toBe(wrongPassword.error?.detail);
      expect(unknownUser.error?.type).toBe(wrongPassword.error?.type);
    });

    it('answers a request without credentials with 401 problem+json and WWW-Authenticate', async () => {
      const response = await me();
      expectProblem(response, 401);
      expect(response.response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('returns the signed-in user from /auth/me', async () => {
      const response = await me(world.tokens.alice);
      expect(response.response.status).toBe(200);
      expect(response.data).toMatchObject({
        id: world.ids.alice,
        username: 'alice',
        lastLoginAt: expect.any(String),
      });
    });

    it('rotates the refresh token on every refresh and the new access token works', async () => {
      const first = (await world.login('alice')).data!;
      const second = await refresh(first.refreshToken);
      expect(second.response.status).toBe(200);
      expect(second.data?.refreshToken).not.toBe(first.refreshToken);
      expect(second.data?.accessToken).not.toBe(first.accessToken);
      expect((await me(second.data!.accessToken)).response.status).toBe(200);
      const third = await refresh(second.data!.refreshToken);
      expect(third.response.status).toBe(200);
    });

    it('revokes the whole session when a spent refresh token is presented again', async () => {
      const first = (await world.login('alice')).data!;
      const second = (await refresh(first.refreshToken)).data!;
      const replay = await refresh(first.refreshToken);
      expectProblem(replay, 401);
      expectProblem(await refresh(second.refreshToken), 401);
      expectProblem(await me(second.accessToken), 401);
      expect((await me(world.tokens.alice)).response.status).toBe(200);
    });

    it('ends the session on logout: its refresh and access tokens stop working', async () => {
      const session = (await world.login('alice')).data!;
      expect((await me(session.accessToken)).response.status).toBe(200);
      const response = await world.as().POST('/api/v1/auth/logout', {
        body: { refreshToken: session.refreshToken },
      });
      expect(response.response.status).toBe(204);
      expectProblem(await me(session.accessToken), 401);
      expectProblem(await refresh(session.refreshToken), 401);
    });

    it('rejects an unknown refresh token with 401', async () => {
      expectProblem(await refresh('not-a-token'), 401);
    });

    it('changes the password only with the current one and ends the other sessions', async () => {
      await world.createUser('carol', ['member']);
      const kept = (await world.login('carol')).data!;
      const other = (await world.login('carol')).data!;
      const newPassword = world.ledger.remember('a brand new secret passphrase');
      const changePassword = (currentPassword: string) =>
        world.as(kept.accessToken).POST('/api/v1/auth/me/password', {
          body: { currentPassword, newPassword },
        });
      const wrong = await changePassword(world.ledger.remember('wrong current password'));
      expectProblem(wrong, 400);
      expect(fieldsOf(wrong)).toEqual(['currentPassword']);

      const changed = await changePassword(PASSWORD);
      expect(changed.response.status).toBe(204);
      expect((await me(kept.accessToken)).response.status).toBe(200);
      expectProblem(await me(other.accessToken), 401);
      expectProblem(await refresh(other.refreshToken), 401);
      expectProblem(await world.login('carol'), 401);
      expect((await world.login('carol', newPassword)).response.status).toBe(200);
    });

    it('refuses a new password that is too short or contains the username', async () => {
      const response = await world.as(world.tokens.alice).POST('/api/v1/auth/me/password', {
        body: { currentPassword: PASSWORD, newPassword: world.ledger.remember('xALICEx') },
      });
      expectProblem(response, 400);
      expect(fieldsOf(response)).toEqual(['newPassword', 'newPassword']);
    });
  });
}
