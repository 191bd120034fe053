// User administration by an admin.
import { randomUUID } from 'node:crypto';
import type { components } from '@kiln/client';
import { AuthWorld, expectProblem, fieldsOf, PASSWORD } from './auth-world';

type UserChange = components['schemas']['UpdateUserDto'];

export function userAdministrationScenarios(worldOf: () => AuthWorld): void {
  describe('user administration', () => {
    let world: AuthWorld;

    beforeAll(() => {
      world = worldOf();
    });

    const admin = () => world.as(world.adminToken);
    const me = (token: string) => world.as(token).GET('/api/v1/auth/me');
    const createUser = (username: string, password: string) =>
      admin().POST('/api/v1/admin/users', { body: { username, password } });
    const updateUser = (id: string, body: UserChange) =>
      admin().PATCH('/api/v1/admin/users/{id}', { params: { path: { id } }, body });

    it('creates users with case-insensitive unique names (409 on a clash)', async () => {
      expectProblem(await createUser('ALICE', PASSWORD), 409);
    });

    it('refuses a weak password for a new user with 400', async () => {
      const weak = await createUser('erin', world.ledger.remember('erin-1'));
      expectProblem(weak, 400);
      expect(fieldsOf(weak)).toContain('password');
    });

    it('lists users a page at a time with a cursor, and filters by role', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await admin().GET('/api/v1/admin/users', {
          params: { query: { limit: 2, cursor } },
        });
        expect(page.response.status).toBe(200);
        expect(page.data!.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.data!.items.map((user) => user.username));
        cursor = page.data!.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(['alice', 'bob', 'carol', 'root', 'vera']);
      const viewers = await admin().GET('/api/v1/admin/users', {
        params: { query: { role: 'viewer' } },
      });
      expect(viewers.data!.items.map((user) => user.username)).toEqual(['vera']);
      const garbage = await admin().GET('/api/v1/admin/users', {
        params: { query: { cursor: 'garbage' } },
      });
      expectProblem(garbage, 400);
    });

    it('reads a user, 404 for an unknown id and 400 for a malformed one', async () => {
      const read = (id: string) =>
        admin().GET('/api/v1/admin/users/{id}', { params: { path: { id } } });
      expect((await read(world.ids.bob)).data?.username).toBe('bob');
      expectProblem(await read(randomUUID()), 404);
      expectProblem(await read('not-a-uuid'), 400);
    });

    it('updates display name, email and roles', async () => {
      const response = await updateUser(world.ids.bob, {
        displayName: 'Bob B.',
        email: 'bob@example.com',
        roles: ['member', 'viewer'],
      });
      expect(response.response.status).toBe(200);
      expect(response.data).toMatchObject({
        displayName: 'Bob B.',
        email: 'bob@example.com',
        roles: ['member', 'viewer'],
      });
    });

    it('cuts a disabled user off at once, sessions and API tokens alike', async () => {
      const session = (await world.login('bob')).data!;
      const apiToken = (
        await world
          .as(session.accessToken)
          .POST('/api/v1/auth/tokens', { body: { name: 'bob-ci' } })
      ).data!.token;
      expect((await me(apiToken)).response.status).toBe(200);
      const disabled = await updateUser(world.ids.bob, { disabled: true });
      expect(disabled.data?.disabled).toBe(true);
      expectProblem(await me(session.accessToken), 401);
      expectProblem(await me(apiToken), 401);
      const refresh = await world.as().POST('/api/v1/auth/refresh', {
        body: { refreshToken: session.refreshToken },
      });
      expectProblem(refresh, 401);
      expectProblem(await world.login('bob'), 401);

      await updateUser(world.ids.bob, { disabled: false });
      expect((await world.login('bob')).response.status).toBe(200);
      expect((await me(apiToken)).response.status).toBe(200);
    });

    it('takes a role away at once: a demoted admin is refused on their next request', async () => {
      const created = (await createUser('dana', PASSWORD)).data!;
      await updateUser(created.id, { roles: ['admin'] });
      const dana = world.as((await world.login('dana')).data!.accessToken);
      expect((await dana.GET('/api/v1/admin/users')).response.status).toBe(200);

      await updateUser(created.id, { roles: ['member'] });

      expectProblem(await dana.GET('/api/v1/admin/users'), 403);
      expect((await dana.GET('/api/v1/auth/me')).data?.roles).toEqual(['member']);
    });

    it('resets a password, ending the user’s sessions', async () => {
      const session = (await world.login('vera')).data!;
      expect((await me(session.accessToken)).response.status).toBe(200);
      const password = world.ledger.remember('freshly reset passphrase 7');
      const reset = await admin().POST('/api/v1/admin/users/{id}/password', {
        params: { path: { id: world.ids.vera } },
        body: { password },
      });
      expect(reset.response.status).toBe(204);
      expectProblem(await me(session.accessToken), 401);
      expect((await world.login('vera', password)).response.status).toBe(200);
    });

    it('does not let an admin remove their own admin role or disable themselves as the last admin', async () => {
      const self = (await me(world.adminToken)).data!;
      expectProblem(await updateUser(self.id, { roles: ['member'] }), 409);
      expectProblem(await updateUser(self.id, { disabled: true }), 409);
      expect((await me(world.adminToken)).data?.roles).toEqual(['admin']);
    });
  });
}
