// Who may read and change what: members, viewers, admins.
import { randomUUID } from 'node:crypto';
import { AuthWorld, expectProblem, fieldsOf, PASSWORD } from './auth-world';

export function ownershipScenarios(worldOf: () => AuthWorld): void {
  describe('ownership and roles', () => {
    let world: AuthWorld;
    let adminToken: AuthWorld['adminToken'];
    let tokens: AuthWorld['tokens'];
    let ids: AuthWorld['ids'];

    beforeAll(() => {
      world = worldOf();
      ({ adminToken, tokens, ids } = world);
    });

    // The notes are a test module's routes, outside the spec, so they are asked raw.
    const notes = (method: string, path: string, token: string, body?: unknown) =>
      world.raw(method, `/test-notes${path}`, { token, body });

    let aliceNote: string;

    beforeAll(async () => {
      const created = await notes('POST', '', tokens.alice, { text: 'alice' });
      expect(created.status).toBe(201);
      aliceNote = created.body.id;
    });

    it('lets a member read, change and list only their own resources; others answer 404', async () => {
      expectProblem(await notes('GET', `/${aliceNote}`, tokens.bob), 404);
      expectProblem(await notes('PATCH', `/${aliceNote}`, tokens.bob, { text: 'bob' }), 404);
      expectProblem(await notes('DELETE', `/${aliceNote}`, tokens.bob), 404);
      const bobList = await notes('GET', '', tokens.bob);
      expect(bobList.body.items).toEqual([]);
      const aliceList = await notes('GET', '', tokens.alice);
      expect(aliceList.body.items.map((note: { id: string }) => note.id)).toEqual([aliceNote]);
    });

    it('lets a viewer read everything but change nothing (403)', async () => {
      expect((await notes('GET', `/${aliceNote}`, tokens.vera)).status).toBe(200);
      expect((await notes('GET', '', tokens.vera)).body.items).toHaveLength(1);
      expectProblem(await notes('POST', '', tokens.vera, { text: 'vera' }), 403);
      expectProblem(await notes('PATCH', `/${aliceNote}`, tokens.vera, { text: 'vera' }), 403);
    });

    it('lets an admin read and change anyone’s resources', async () => {
      const changed = await notes('PATCH', `/${aliceNote}`, adminToken, { text: 'admin' });
      expect(changed.status).toBe(200);
      expect(changed.body.text).toBe('admin');
    });

    it('keeps members and viewers out of user administration with 403', async () => {
      expectProblem(await world.as(tokens.alice).GET('/api/v1/admin/users'), 403);
      expectProblem(await world.as(tokens.vera).GET('/api/v1/admin/users'), 403);
    });

    it.each([
      [
        'a resource body (ownerId)',
        'POST',
        '/test-notes',
        { text: 'x', ownerId: 'someone' },
        'ownerId',
      ],
      ['a resource body (id)', 'POST', '/test-notes', { text: 'x', id: randomUUID() }, 'id'],
      [
        'the login body (roles)',
        'POST',
        '/auth/login',
        { username: 'alice', password: PASSWORD, roles: ['admin'] },
        'roles',
      ],
      [
        'the API token body (userId)',
        'POST',
        '/auth/tokens',
        { name: 'x', userId: randomUUID() },
        'userId',
      ],
      [
        'the password body (roles)',
        'POST',
        '/auth/me/password',
        { currentPassword: PASSWORD, newPassword: 'whatever long enough', roles: ['admin'] },
        'roles',
      ],
    ])('rejects mass assignment through %s with 400', async (_name, method, path, body, field) => {
      // raw: fields the spec does not have are what is sent
      const response = await world.raw(method, path, { body, token: tokens.alice });
      expectProblem(response, 400);
      expect(fieldsOf(response)).toContain(field);
    });

    it('rejects id, username, disabled-at-create and password hash fields in admin bodies with 400', async () => {
      // raw: fields the spec does not have are what is sent
      const update = await world.raw('PATCH', `/admin/users/${ids.bob}`, {
        body: { id: randomUUID(), username: 'mallory', passwordHash: 'x' },
        token: adminToken,
      });
      expectProblem(update, 400);
      expect(fieldsOf(update).sort()).toEqual(['id', 'passwordHash', 'username']);
      const create = await world.raw('POST', '/admin/users', {
        body: { username: 'dave', password: PASSWORD, disabled: false, id: randomUUID() },
        token: adminToken,
      });
      expectProblem(create, 400);
      expect(fieldsOf(create).sort()).toEqual(['disabled', 'id']);
    });
  });
}
