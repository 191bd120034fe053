// The running Kiln the auth scenarios share: an admin, members alice and bob, viewer
// vera, and a test module whose notes belong to their creator.
import { ApiClient, ApiResponse } from '../../support/api-client';
import { OwnedNotesModule } from '../../support/owned-notes.module';
import type { TestApp, TestAppOptions } from '../../support/test-app';

export type StartApp = (options: TestAppOptions) => Promise<TestApp>;

export const PROBLEM = 'application/problem+json';
export const ADMIN = 'root';
export const ADMIN_PASSWORD = 'correct horse battery staple 42';
export const JWT_SECRET = 'auth-scenarios-secret-0123456789abcdef';
export const PASSWORD = 'a long enough password';
/** Room for every login the scenarios make; the throttling scenarios set their own limits. */
export const GENEROUS_THROTTLE = {
  KILN_LOGIN_THROTTLE_IP_LIMIT: '10000',
  KILN_LOGIN_THROTTLE_USERNAME_LIMIT: '10000',
};

export function expectProblem(response: ApiResponse, status: number): void {
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

export function fieldsOf(response: ApiResponse): string[] {
  return ((response.body as { errors?: Array<{ field: string }> }).errors ?? []).map(
    (error) => error.field,
  );
}

export interface AuthWorld {
  kiln: TestApp;
  api: ApiClient;
  adminToken: string;
  /** Access tokens by username. */
  tokens: Record<string, string>;
  /** User ids by username. */
  ids: Record<string, string>;
  login(username: string, password?: string): Promise<ApiResponse>;
  createUser(username: string, roles: string[]): Promise<void>;
}

export async function startAuthWorld(start: StartApp): Promise<AuthWorld> {
  const kiln = await start({
    imports: [OwnedNotesModule],
    env: {
      KILN_ADMIN_USERNAME: ADMIN,
      KILN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      KILN_JWT_SECRET: JWT_SECRET,
      ...GENEROUS_THROTTLE,
    },
  });
  const api = new ApiClient(kiln.url);
  api.rememberSecret(JWT_SECRET);
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const login = (username: string, password = PASSWORD) =>
    api.post('/auth/login', { username, password: api.rememberSecret(password) });
  const world: AuthWorld = { kiln, api, adminToken: '', tokens, ids, login, createUser };
  async function createUser(username: string, roles: string[]): Promise<void> {
    const created = await api.post(
      '/admin/users',
      { username, password: api.rememberSecret(PASSWORD), roles },
      world.adminToken,
    );
    expect(created.status).toBe(201);
    ids[username] = created.body.id;
    tokens[username] = (await login(username)).body.accessToken;
  }
  world.adminToken = (await login(ADMIN, ADMIN_PASSWORD)).body.accessToken;
  await createUser('alice', ['member']);
  await createUser('bob', ['member']);
  await createUser('vera', ['viewer']);
  return world;
}
