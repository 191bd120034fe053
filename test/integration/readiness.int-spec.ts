// Kiln on PostgreSQL + Redis (production mode): readiness follows Redis through an
// outage and back, with no restart, and the outage is logged once, not per retry.
import { KilnProcess } from '../support/kiln-process';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { PrivateRedisServer } from '../support/redis';

describe('readiness on PostgreSQL + Redis', () => {
  let database: TestDatabase;
  let redis: PrivateRedisServer;
  let kiln: KilnProcess;

  beforeAll(async () => {
    database = await createTestDatabase('kiln_ready');
    redis = await PrivateRedisServer.start();
    kiln = await KilnProcess.start({
      env: { KILN_DATABASE_URL: database.url, KILN_REDIS_URL: redis.url },
    });
  });

  afterAll(async () => {
    await kiln?.stop('SIGKILL');
    await redis?.stop();
    await database?.drop();
  });

  it('is ready with both the database and Redis up', async () => {
    const response = await fetch(`${kiln.url}/health/ready`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { details: Record<string, { status: string }> };
    expect(body.details.database.status).toBe('up');
    expect(body.details.redis.status).toBe('up');
  });

  it('turns not-ready within 5 s of Redis stopping, naming Redis', async () => {
    await redis.stop();
    // Prometheus still gets its scrape while Redis is away: gauges that read Redis are
    // left out rather than holding the whole answer up past a scrape timeout.
    const metrics = await fetch(`${kiln.url}/metrics`, { signal: AbortSignal.timeout(5_000) });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('kiln_leader');
    await kiln.waitForStatus('/health/ready', 503, 5_000);
    const problem = (await (await fetch(`${kiln.url}/health/ready`)).json()) as { detail: string };
    expect(problem.detail).toContain('redis');
    expect((await fetch(`${kiln.url}/health/live`)).status).toBe(200);
  });

  it('turns ready again once Redis is back, without a restart', async () => {
    const pid = kiln.pid;
    await redis.start();
    await kiln.waitForStatus('/health/ready', 200, 15_000);
    expect(kiln.pid).toBe(pid);
  });

  it('logged the outage of the shared connection once, and its end once', () => {
    const lost = kiln.text
      .split('\n')
      .filter((line) => line.includes('Redis connection for shared lost'));
    const restored = kiln.text
      .split('\n')
      .filter((line) => line.includes('Redis connection for shared restored'));
    expect(lost).toHaveLength(1);
    expect(restored).toHaveLength(1);
  });
});
