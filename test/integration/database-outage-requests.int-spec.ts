// Requests that arrive while the database is down: the client is told the request was
// not carried out and when to try again (503 + Retry-After), not that Kiln broke (500).
import { DatabaseFaults } from '../support/database-faults';
import { KilnReplicas } from '../support/kiln-replicas';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { PrivateRedisServer } from '../support/redis';
import { tempDataDir } from '../support/test-config';

describe('requests while the database is down', () => {
  let database: TestDatabase;
  let redis: PrivateRedisServer;
  let faults: DatabaseFaults;
  let replicas: KilnReplicas;

  beforeAll(async () => {
    database = await createTestDatabase('kiln_db_outage');
    redis = await PrivateRedisServer.start();
    faults = await DatabaseFaults.open(database.name);
    replicas = await KilnReplicas.start(1, {
      KILN_DATA_DIR: tempDataDir('kiln-db-outage-'),
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: redis.url,
    });
  }, 60_000);

  afterAll(async () => {
    await faults?.bringUp();
    await faults?.close();
    await replicas?.stop();
    await redis?.stop();
    await database?.drop();
  });

  it('answers a submit with 503 problem+json and Retry-After, and accepts it once the database is back', async () => {
    await faults.takeDown();
    const refused = await replicas.submit('during the outage', 'true');
    await faults.bringUp();

    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ status: 503, type: expect.stringMatching(/unavailable/) });
    expect(JSON.stringify(refused.body)).not.toMatch(/accepting connections|SELECT|INSERT/);

    const accepted = await replicas.submit('after the outage', 'true');
    expect(accepted.status).toBe(201);
  }, 60_000);
});
