// The auth scenarios, written once and run twice: on the embedded default
// (test/e2e/auth.e2e-spec.ts) and on PostgreSQL (test/integration/auth.int-spec.ts).
import { randomUUID } from 'node:crypto';
import { waitUntil } from '../../src/common/wait-until';
import { ApiClient, ApiResponse } from '../support/api-client';
import { readAuditLog } from '../support/audit-log';
import { decodeJwtPayload, signJwt, tamperJwt, unsignedJwt } from '../support/jwt-forge';
import { OwnedNotesModule } from '../support/owned-notes.module';
import type { TestApp, TestAppOptions } from '../support/test-app';

export type StartApp = (options: TestAppOptions) => Promise<TestApp>;

const PROBLEM = 'application/problem+json';
const ADMIN = 'root';
const ADMIN_PASSWORD = 'correct horse battery staple 42';
const JWT_SECRET = 'auth-scenarios-secret-0123456789abcdef';
const PASSWORD = 'a long enough password';
/** Room for every login the scenarios make; the throttling scenarios set their own limits. */
const GENEROUS_THROTTLE = {
  KILN_LOGIN_THROTTLE_IP_LIMIT: '10000',
  KILN_LOGIN_THROTTLE_USERNAME_LIMIT: '10000',
};

function expectProblem(response: ApiResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain(PROBLEM);
  expect(response.body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    requestId: response.headers.get('x-request-id'),
  });
}

function fieldsOf(response: ApiResponse): string[] {
  return ((response.body as { errors?: Array<{ field: string }> }).errors ?? []).map(
    (error) => error.field,
  );
}

export function authScenarios(startApp: StartApp): void {
  describe('sessions, tokens, roles and administration', () => {
    authScenariosOnOneApp(startApp);
  });
}

function authScenariosOnOneApp(start: StartApp): void {
  let kiln: TestApp;
  let api: ApiClient;
  let adminToken: string;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const login = (username: string, password = PASSWORD) =>
    api.post('/auth/login', { username, password: api.rememberSecret(password) });

  async function createUser(username: string, roles: string[]): Promise<void> {
    const created = await api.post(
      '/admin/users',
      { username, password: api.rememberSecret(PASSWORD), roles },
      adminToken,
    );
    expect(created.status).toBe(201);
    ids[username] = created.body.id;
    tokens[username] = (await login(username)).body.accessToken;
  }

  beforeAll(async () => {
    kiln = await start({
      imports: [OwnedNotesModule],
      env: {
        KILN_ADMIN_USERNAME: ADMIN,
        KILN_ADMIN_PASSWORD: ADMIN_PASSWORD,
        KILN_JWT_SECRET: JWT_SECRET,
        ...GENEROUS_THROTTLE,
      },
    });
    api = new ApiClient(kiln.url);
    api.rememberSecret(JWT_SECRET);
    adminToken = (await login(ADMIN, ADMIN_PASSWORD)).body.accessToken;
    await createUser('alice', ['member']);
    await createUser('bob', ['member']);
    await createUser('vera', ['viewer']);
  });

  afterAll(async () => {
    await kiln?.close();
  });

  describe('password login and sessions', () => {
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

  describe('forged and expired access tokens', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const withoutExp = ({ exp: _exp, ...rest }: Record<string, unknown>) => rest;
    let claims: Record<string, unknown>;

    beforeAll(() => {
      claims = decodeJwtPayload(tokens.alice);
    });

    it.each([
      ['a tampered payload', () => tamperJwt(tokens.alice, { sub: ids.bob })],
      [
        'an expired token',
        () => signJwt({ ...claims, iat: now() - 120, exp: now() - 60 }, JWT_SECRET),
      ],
      ['alg none', () => unsignedJwt({ ...claims })],
      ['a token without exp', () => signJwt(withoutExp(claims), JWT_SECRET)],
      [
        'an exp years beyond the configured lifetime',
        () => signJwt({ ...claims, iat: now(), exp: now() + 5 * 365 * 86400 }, JWT_SECRET),
      ],
      ['a token without iat', () => signJwt({ ...claims, iat: undefined }, JWT_SECRET)],
      ['a wrong audience', () => signJwt({ ...claims, aud: 'someone-else' }, JWT_SECRET)],
      ['a wrong issuer', () => signJwt({ ...claims, iss: 'someone-else' }, JWT_SECRET)],
      ['another algorithm (HS512)', () => signJwt({ ...claims }, JWT_SECRET, 'HS512')],
      ['another secret', () => signJwt({ ...claims }, 'an-attacker-secret-0123456789abcdef')],
      ['garbage', () => 'not.a.jwt'],
    ])('answers %s with 401 and the problem body', async (_name, forge) => {
      expectProblem(await api.get('/auth/me', forge()), 401);
    });

    it('accepts a token signed like the real ones, so the rejections above are about the flaw', async () => {
      expect((await api.get('/auth/me', signJwt({ ...claims }, JWT_SECRET))).status).toBe(200);
    });
  });

  describe('ownership and roles', () => {
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

  describe('API tokens', () => {
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

  describe('user administration', () => {
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

  describe('audit log', () => {
    it('records logins, failures, token changes and admin changes with actor, ip and request id', async () => {
      const failed = await login('alice', 'definitely wrong password');
      const created = await api.post('/auth/tokens', { name: 'audited' }, tokens.alice);
      await api.delete(`/auth/tokens/${created.body.id}`, tokens.alice);
      const events = await readAuditLog(kiln.app, 500);
      const byRequest = (response: ApiResponse) =>
        events.find((event) => event.requestId === response.headers.get('x-request-id'));

      expect(byRequest(failed)).toMatchObject({
        action: 'auth.login.failed',
        actorId: null,
        ip: '127.0.0.1',
        details: { username: 'alice' },
      });
      expect(byRequest(created)).toMatchObject({
        action: 'auth.api-token.created',
        actorId: ids.alice,
        targetId: created.body.id,
      });
      const actions = new Set(events.map((event) => event.action));
      for (const action of [
        'auth.login.succeeded',
        'auth.api-token.revoked',
        'auth.session.reuse-detected',
        'auth.session.logged-out',
        'auth.password.changed',
        'admin.user.created',
        'admin.user.updated',
        'admin.user.password-reset',
      ]) {
        expect(actions).toContain(action);
      }
      expect(JSON.stringify(events)).not.toContain(PASSWORD);
    });
  });

  describe('secrets', () => {
    it('returns no password, hash or token in any response but the one that created it', () => {
      expect(api.secrets.size).toBeGreaterThan(20);
      const leaks = [...api.secrets.keys()].flatMap((secret) => api.leaksOf(secret));
      expect(leaks).toEqual([]);
      expect(api.responses.filter((response) => /\$argon2/.test(response.text))).toEqual([]);
    });

    it('writes no password, hash or token into any log line', () => {
      const text = kiln.logText();
      expect(text.length).toBeGreaterThan(0);
      const logged = [...api.secrets.keys()].filter((secret) => text.includes(secret));
      expect(logged).toEqual([]);
      expect(text).not.toMatch(/\$argon2|kiln_[A-Za-z0-9_-]{20}/);
    });
  });
}

export function loginThrottlingScenarios(startApp: StartApp): void {
  const start = startApp;
  describe('login throttling', () => {
    let kiln: TestApp;
    let api: ApiClient;

    afterEach(async () => {
      await kiln?.close();
    });

    it('answers 429 with Retry-After once a username has used up its attempts, even with the right password', async () => {
      kiln = await start({
        env: {
          KILN_ADMIN_PASSWORD: ADMIN_PASSWORD,
          KILN_LOGIN_THROTTLE_USERNAME_LIMIT: '3',
          KILN_LOGIN_THROTTLE_IP_LIMIT: '100',
        },
      });
      api = new ApiClient(kiln.url);
      for (let attempt = 0; attempt < 3; attempt++) {
        expect(
          (await api.post('/auth/login', { username: 'admin', password: 'wrong password!' }))
            .status,
        ).toBe(401);
      }
      const throttled = await api.post('/auth/login', {
        username: 'ADMIN',
        password: ADMIN_PASSWORD,
      });
      expectProblem(throttled, 429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(
        (await api.post('/auth/login', { username: 'someone-else', password: 'x' })).status,
      ).toBe(401);
    });

    it('answers 429 with Retry-After once one IP has used up its attempts across usernames', async () => {
      kiln = await start({
        env: { KILN_LOGIN_THROTTLE_USERNAME_LIMIT: '100', KILN_LOGIN_THROTTLE_IP_LIMIT: '3' },
      });
      api = new ApiClient(kiln.url);
      for (const username of ['u1', 'u2', 'u3']) {
        expect(
          (await api.post('/auth/login', { username, password: 'wrong password!' })).status,
        ).toBe(401);
      }
      const throttled = await api.post('/auth/login', {
        username: 'u4',
        password: 'wrong password!',
      });
      expectProblem(throttled, 429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });
}

export function firstStartScenarios(startApp: StartApp): void {
  const start = startApp;
  describe('first start', () => {
    let kiln: TestApp;

    afterEach(async () => {
      await kiln?.close();
    });

    it('creates an admin with a random password printed once in the log, which logs in', async () => {
      kiln = await start({ env: {} });
      const lines = kiln
        .logText()
        .split('\n')
        .filter((line) => line.includes('one-time password'));
      expect(lines).toHaveLength(1);
      const password = /one-time password (\S+)/.exec(lines[0])?.[1] ?? '';
      expect(lines[0]).toContain('change it');
      const api = new ApiClient(kiln.url);
      const session = await api.post('/auth/login', { username: 'admin', password });
      expect(session.status).toBe(200);
      expect(session.body.user.roles).toEqual(['admin']);
    });

    it('creates the admin from KILN_ADMIN_USERNAME / KILN_ADMIN_PASSWORD without logging the password', async () => {
      kiln = await start({
        env: { KILN_ADMIN_USERNAME: 'boss', KILN_ADMIN_PASSWORD: ADMIN_PASSWORD },
      });
      expect(kiln.logText()).not.toContain(ADMIN_PASSWORD);
      const api = new ApiClient(kiln.url);
      expect(
        (await api.post('/auth/login', { username: 'boss', password: ADMIN_PASSWORD })).status,
      ).toBe(200);
    });
  });
}
