// Who may read and change what: members, viewers, admins.
import { randomUUID } from 'node:crypto';
import { AuthWorld, expectProblem, fieldsOf, PASSWORD } from './auth-world';

export function ownershipScenarios(worldOf: () => AuthWorld): void {
  describe('ownership and roles', () => {
    let api: AuthWorld['api'];
    let adminToken: AuthWorld['adminToken'];
    let tokens: AuthWorld['tokens'];
    let ids: AuthWorld['ids'];

    beforeAll(() => {
      ({ api, adminToken, tokens, ids } = worldOf());
    });

    let aliceNote: string;

    beforeAll(async () => {
      const created = await api.post('/test-notes', { text: 'alice' }, tokens.alice);
      expect(created.status).toBe(201);
      aliceNote = created.body.id;
    });

    it('lets a member read, change and list only their own resources; others answer 404', async () => {
      expectProblem(await api.get(`/test-notes/${aliceNote}`, tokens.bob), 404);
      expectProblem(await api.patch(`/test-notes/${aliceNote}`, { text: 'bob' }, tokens.bob), 404);
      expectProblem(await api.delete(`/test-notes/${aliceNote}`, tokens.bob), 404);
      const bobList = await api.get('/test-notes', tokens.bob);
      expect(bobList.body.items).toEqual([]);
      const aliceList = await api.get('/test-notes', tokens.alice);
      expect(aliceList.body.items.map((note: { id: string }) => note.id)).toEqual([aliceNote]);
    });

    it('lets a viewer read everything but change nothing (403)', async () => {
      expect((await api.get(`/test-notes/${aliceNote}`, tokens.vera)).status).toBe(200);
      expect((await api.get('/test-notes', tokens.vera)).body.items).toHaveLength(1);
      expectProblem(await api.post('/test-notes', { text: 'vera' }, tokens.vera), 403);
      expectProblem(
        await api.patch(`/test-notes/${aliceNote}`, { text: 'vera' }, tokens.vera),
        403,
      );
    });

    it('lets an admin read and change anyone’s resources', async () => {
      const changed = await api.patch(`/test-notes/${aliceNote}`, { text: 'admin' }, adminToken);
      expect(changed.status).toBe(200);
      expect(changed.body.text).toBe('admin');
    });

    it('keeps members and viewers out of user administration with 403', async () => {
      expectProblem(await api.get('/admin/users', tokens.alice), 403);
      expectProblem(await api.get('/admin/users', tokens.vera), 403);
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
      const response = await api.request(method, path, { body, token: tokens.alice });
      expectProblem(response, 400);
      expect(fieldsOf(response)).toContain(field);
    });

    it('rejects id, username, disabled-at-create and password hash fields in admin bodies with 400', async () => {
      const update = await api.patch(
        `/admin/users/${ids.bob}`,
        { id: randomUUID(), username: 'mallory', passwordHash: 'x' },
        adminToken,
      );
      expectProblem(update, 400);
      expect(fieldsOf(update).sort()).toEqual(['id', 'passwordHash', 'username']);
      const create = await api.post(
        '/admin/users',
        { username: 'dave', password: PASSWORD, disabled: false, id: randomUUID() },
        adminToken,
      );
      expectProblem(create, 400);
      expect(fieldsOf(create).sort()).toEqual(['disabled', 'id']);
    });
  });
}
