// The running Kiln the auth scenarios share: an admin, members alice and bob, viewer
// vera, and a test module whose notes belong to their creator. Every answer goes into
// one ledger of secrets, which the secrets scenarios read last.
import { KilnClient, unwrap } from '@kiln/client';
import { OwnedNotesModule } from '../../support/owned-notes.module';
import { sendRaw, type RawRequest, type RawResponse } from '../../support/raw-request';
import { SecretLedger } from '../../support/secret-ledger';
import type { TestApp, TestAppOptions } from '../../support/test-app';

export { expectProblem, fieldsOf, PROBLEM } from '../../support/problem-answer';

export type StartApp = (options: TestAppOptions) => Promise<TestApp>;
/** The public API through the generated client, typed by the committed spec. */
export type KilnApi = KilnClient['api'];

export const ADMIN = 'root';
export const ADMIN_PASSWORD = 'correct horse battery staple 42';
export const JWT_SECRET = 'auth-scenarios-secret-0123456789abcdef';
export const PASSWORD = 'a long enough password';
/** Room for every login the scenarios make; the throttling scenarios set their own limits. */
export const GENEROUS_THROTTLE = {
  KILN_LOGIN_THROTTLE_IP_LIMIT: '10000',
  KILN_LOGIN_THROTTLE_USERNAME_LIMIT: '10000',
};

export interface AuthWorld {
  kiln: TestApp;
  ledger: SecretLedger;
  /** The public API as the holder of `token` (anonymous without one). */
  as(token?: string): KilnApi;
  /**
   * A request outside the spec: the test module's notes, or a body the spec forbids
   * (mass assignment). Recorded in the ledger like the rest.
   */
  raw(method: string, path: string, request?: RawRequest): Promise<RawResponse>;
  adminToken: string;
  /** Access tokens by username. */
  tokens: Record<string, string>;
  /** User ids by username. */
  ids: Record<string, string>;
  login(username: string, password?: string): ReturnType<typeof logIn>;
  createUser(username: string, roles: Array<'admin' | 'member' | 'viewer'>): Promise<void>;
}

function logIn(api: KilnApi, username: string, password: string) {
  return api.POST('/api/v1/auth/login', { body: { username, password } });
}

/** Generated clients that report every answer to `ledger`, one per token. */
export function ledgeredClients(url: string, ledger: SecretLedger): (token?: string) => KilnApi {
  const clients = new Map<string, KilnApi>();
  return (token) => {
    const key = token ?? '';
    let api = clients.get(key);
    if (!api) {
      const credentials = token === undefined ? undefined : { accessToken: token };
      api = new KilnClient({ baseUrl: url, credentials }).api;
      api.use(ledger.middleware());
      clients.set(key, api);
    }
    return api;
  };
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
  const ledger = new SecretLedger();
  ledger.remember(JWT_SECRET);
  const as = ledgeredClients(kiln.url, ledger);
  const raw = async (method: string, path: string, request: RawRequest = {}) => {
    const response = await sendRaw(kiln.url, method, path, request);
    ledger.record(method, path, response.text);
    return response;
  };
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const login = (username: string, password = PASSWORD) =>
    logIn(as(), username, ledger.remember(password));
  const world: AuthWorld = {
    kiln,
    ledger,
    as,
    raw,
    adminToken: '',
    tokens,
    ids,
    login,
    createUser,
  };
  async function createUser(username: string, roles: Array<'admin' | 'member' | 'viewer'>) {
    const created = await unwrap(
      as(world.adminToken).POST('/api/v1/admin/users', {
        body: { username, password: ledger.remember(PASSWORD), roles },
      }),
    );
    ids[username] = created.id;
    tokens[username] = (await unwrap(login(username))).accessToken;
  }
  world.adminToken = (await unwrap(login(ADMIN, ADMIN_PASSWORD))).accessToken;
  await createUser('alice', ['member']);
  await createUser('bob', ['member']);
  await createUser('vera', ['viewer']);
  return world;
}
