// A database outage longer than a launch job's tries: the jobs end `failed` in the work
// queue while their tasks are still `queued` in the database. The database is the truth,
// so once it is back the tasks must launch, whatever became of their jobs.
import { Queue } from 'bullmq';
import { waitUntil } from '../../src/common/wait-until';
import { DatabaseFaults } from '../support/database-faults';
import { KilnReplicas } from '../support/kiln-replicas';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { PrivateRedisServer } from '../support/redis';
import { tempDataDir } from '../support/test-config';

const PREFIX = 'kiln-gave-up:';

describe('queued tasks whose launch jobs gave up while the database was down', () => {
  let database: TestDatabase;
  let redis: PrivateRedisServer;
  let faults: DatabaseFaults;
  let replicas: KilnReplicas;
  let launchQueue: Queue;

  beforeAll(async () => {
    database = await createTestDatabase('kiln_gave_up');
    redis = await PrivateRedisServer.start();
    faults = await DatabaseFaults.open(database.name);
    replicas = await KilnReplicas.start(1, {
      KILN_DATA_DIR: tempDataDir('kiln-gave-up-'),
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: redis.url,
      KILN_REDIS_KEY_PREFIX: PREFIX,
      KILN_REQUEUE_AFTER_SECONDS: '5',
    });
    launchQueue = new Queue('task-launch', {
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: `${PREFIX}queue`,
    });
  }, 60_000);

  afterAll(async () => {
    await launchQueue?.close();
    await faults?.bringUp();
    await faults?.close();
    await replicas?.stop();
    await redis?.stop();
    await database?.drop();
  });

  async function statuses(ids: string[]): Promise<string[]> {
    return Promise.all(ids.map(async (id) => (await replicas.task(id)).status));
  }

  it('launches every stranded task once the database is back, and later submits too', async () => {
    // Held in the work queue so the outage finds them queued with their jobs not yet run.
    await launchQueue.pause();
    const stranded: string[] = [];
    for (let i = 0; i < 4; i++) stranded.push((await replicas.submit(`stranded ${i}`, 'true')).id!);
    const queued = await waitUntil(
      async () => (await statuses(stranded)).every((status) => status === 'queued'),
      { timeoutMs: 15_000 },
    );
    expect(queued.satisfied).toBe(true);

    await faults.takeDown();
    await launchQueue.resume();
    const gaveUp = await waitUntil(async () => (await launchQueue.getFailedCount()) === 4, {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect(gaveUp.satisfied).toBe(true);
    await faults.bringUp();

    const later = (await replicas.submit('submitted after the outage', 'true')).id!;
    const unfinished = await replicas.waitForFinal([...stranded, later], 60_000);
    expect([...unfinished]).toEqual([]);
    expect(await statuses([...stranded, later])).toEqual(Array(5).fill('succeeded'));
    expect(replicas.crashReports()).toEqual([]);
  }, 150_000);
});
