// SIGTERM while Redis is down: shutdown must not wait on the dead dependency, and the
// process's local runs must be stopped as in any shutdown, not left behind under init.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../../src/common/wait-until';
import { readProcessIdentity } from '../../src/modules/runtimes/local/process/process-identity';
import { KilnReplicas } from '../support/kiln-replicas';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { PrivateRedisServer } from '../support/redis';
import { tempDataDir } from '../support/test-config';

describe('SIGTERM while Redis is down', () => {
  const dataDir = tempDataDir('kiln-term-redis-down-');
  let database: TestDatabase;
  let redis: PrivateRedisServer;
  let replicas: KilnReplicas;

  beforeAll(async () => {
    database = await createTestDatabase('kiln_term_redis');
    redis = await PrivateRedisServer.start();
    replicas = await KilnReplicas.start(1, {
      KILN_DATA_DIR: dataDir,
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: redis.url,
      // well above what a clean shutdown takes, so only a hang reaches it
      KILN_SHUTDOWN_GRACE_MS: '20000',
    });
  }, 60_000);

  afterAll(async () => {
    const marker = join(dataDir, 'run-pid');
    if (existsSync(marker)) killQuietly(Number(readFileSync(marker, 'utf8')));
    await replicas?.stop();
    await redis?.stop();
    await database?.drop();
  });

  it('exits 0 without waiting out the grace and stops its local run', async () => {
    const marker = join(dataDir, 'run-pid');
    const { id } = await replicas.submit('runs at shutdown', `echo $$ > ${marker}; exec sleep 120`);
    expect(id).toBeDefined();
    const started = await waitUntil(
      () => existsSync(marker) && readFileSync(marker, 'utf8') !== '',
      {
        timeoutMs: 30_000,
      },
    );
    expect(started.satisfied).toBe(true);
    const runPid = Number(readFileSync(marker, 'utf8'));

    await redis.stop();
    const [kiln] = replicas.processes;
    await kiln.waitForStatus('/health/ready', 503, 15_000);
    const exit = await replicas.kill(kiln, 'SIGTERM');

    expect(exit).toEqual({ code: 0, signal: null });
    expect(kiln.text).not.toContain('Shutdown took longer than');
    await expect(readProcessIdentity(runPid)).resolves.toBeUndefined();
  }, 90_000);
});

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
