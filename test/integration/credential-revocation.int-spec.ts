// Two Kiln app instances sharing PostgreSQL and Redis, as replicas do, each trusting a
// credential it checked for a minute (KILN_AUTH_CREDENTIAL_CACHE_MS) and checking its
// open streams every five minutes: a revocation made through one must still cut the
// credential off on the other, and end its streams there, which only the message
// between replicas can tell that soon.
import { unwrap, type KilnClient } from '@kiln/client';
import { waitUntil } from '../../src/common/wait-until';
import { WAKEUPS, type Wakeups } from '../../src/infra/wakeups/wakeups.port';
import { clientAs, loggedInAs } from '../support/kiln-clients';
import { openSse } from '../support/sse-client';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { SHARED_REDIS_URL, TestRedisPrefix, createTestRedisPrefix } from '../support/redis';
import { TestApp, startTestApp } from '../support/test-app';

const ADMIN = { username: 'root', password: 'revocation suite password 1' };
const USER = { username: 'erin', password: 'a long enough passphrase 9' };

async function status(client: KilnClient): Promise<number> {
  return (await client.api.GET('/api/v1/auth/me')).response.status;
}

describe('credential revocation across replicas', () => {
  let database: TestDatabase;
  let redis: TestRedisPrefix;
  const replicas: TestApp[] = [];
  let admin: KilnClient;

  beforeAll(async () => {
    database = await createTestDatabase('kiln_revocation');
    redis = createTestRedisPrefix('kiln_revocation');
    const env = {
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: SHARED_REDIS_URL,
      KILN_REDIS_KEY_PREFIX: redis.prefix,
      KILN_ADMIN_USERNAME: ADMIN.username,
      KILN_ADMIN_PASSWORD: ADMIN.password,
      KILN_AUTH_CREDENTIAL_CACHE_MS: '60000',
      KILN_HTTP_STREAM_ACCESS_CHECK_MS: '300000',
    };
    replicas.push(await startTestApp({ env }));
    replicas.push(await startTestApp({ env }));
    await untilReplicasHearEachOther();
    admin = (await loggedInAs(replicas[0].url, ADMIN.username, ADMIN.password)).client;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await database?.drop();
    await redis?.cleanup();
  });

  /** Each replica subscribes in the background at boot; wake until the other hears. */
  async function untilReplicasHearEachOther(): Promise<void> {
    const [first, second] = replicas.map((replica) => replica.app.get<Wakeups>(WAKEUPS));
    let heard = 0;
    second.on('test.probe', () => heard++);
    const delivered = await waitUntil(
      () => {
        first.wake('test.probe');
        return heard > 0;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(delivered.satisfied).toBe(true);
  }

  it('cuts off a disabled user’s session, API token and stream on the replica that did not disable them', async () => {
    const user = await unwrap(admin.api.POST('/api/v1/admin/users', { body: USER }));
    const { token: session } = await loggedInAs(replicas[1].url, USER.username, USER.password);
    const { token: apiToken } = await unwrap(
      clientAs(replicas[1].url, session).api.POST('/api/v1/auth/tokens', {
        body: { name: 'erin-ci' },
      }),
    );
    const onOther = [clientAs(replicas[1].url, session), clientAs(replicas[1].url, apiToken)];
    const onSame = [clientAs(replicas[0].url, session), clientAs(replicas[0].url, apiToken)];
    for (const client of [...onOther, ...onSame]) expect(await status(client)).toBe(200);
    const stream = await openSse(`${replicas[1].url}/api/v1/events`, apiToken);

    await unwrap(
      admin.api.PATCH('/api/v1/admin/users/{id}', {
        params: { path: { id: user.id } },
        body: { disabled: true },
      }),
    );

    for (const client of onSame) expect(await status(client)).toBe(401);
    const cutOff = await waitUntil(
      async () => (await Promise.all(onOther.map(status))).every((code) => code === 401),
      { timeoutMs: 5_000, intervalMs: 20 },
    );
    expect(cutOff.satisfied).toBe(true);
    await stream.ended;
  });
});
