// Two replicas on PostgreSQL whose server keeps terminating their connections, as a
// failover, a database restart or a pooler's idle timeout does. A dropped connection
// must cost at most the request or tick that was using it, never the process.
import { DatabaseFaults } from '../support/database-faults';
import { KilnReplicas } from '../support/kiln-replicas';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { PrivateRedisServer } from '../support/redis';
import { tempDataDir } from '../support/test-config';

/** Long enough that an unhandled connection error had every chance to surface (it did within it before). */
const FAULT_MS = 20_000;
/** How long the tasks accepted under fire may take to end once the faults stop. */
const SETTLE_MS = 180_000;

describe('replicas whose PostgreSQL backends are terminated again and again', () => {
  let database: TestDatabase;
  let redis: PrivateRedisServer;
  let replicas: KilnReplicas;
  let terminator: DatabaseFaults;

  beforeEach(async () => {
    database = await createTestDatabase('kiln_backends');
    redis = await PrivateRedisServer.start();
    terminator = await DatabaseFaults.open(database.name);
    replicas = await KilnReplicas.start(2, {
      KILN_DATA_DIR: tempDataDir('kiln-backends-'),
      KILN_DATABASE_URL: database.url,
      KILN_REDIS_URL: redis.url,
      KILN_LOCK_TTL_MS: '3000',
    });
  }, 60_000);

  afterEach(async () => {
    await terminator?.close();
    await replicas?.stop();
    await redis?.stop();
    await database?.drop();
  });

  it(
    'runs every accepted task to the end while one backend is terminated every 100 ms under load',
    async () => {
      terminator.repeat(100, 1);
      const accepted: string[] = [];
      const until = Date.now() + FAULT_MS;
      while (Date.now() < until && replicas.crashed.length === 0) {
        const submitted = await replicas.submit('under fire', 'echo done');
        if (submitted.id) accepted.push(submitted.id);
      }
      await terminator.stop();

      expect(replicas.crashReports()).toEqual([]);
      expect(accepted.length).toBeGreaterThan(0);
      // What this holds is that every accepted task ends. How long the backlog takes to
      // settle once the faults stop is another matter: in a clean-clone CI run 153 tasks
      // were still running 60 s after, and had succeeded by the time they were reported.
      const unfinished = await replicas.waitForFinal(accepted, SETTLE_MS);
      expect(await whereEachStopped(replicas, unfinished)).toEqual([]);
    },
    FAULT_MS + SETTLE_MS + 40_000,
  );
});

/**
 * The first tasks that did not end (of how many): each one's path through the statuses and
 * what the replicas logged of it, so a failure says where settlement stopped.
 */
async function whereEachStopped(replicas: KilnReplicas, unfinished: Map<string, string>) {
  const lines = replicas.output.split('\n');
  const loopTrouble = lines.filter((line) =>
    /skipped a tick|pass failed|Scheduled .* failed/.test(line),
  );
  return Promise.all(
    [...unfinished].slice(0, 5).map(async ([id, status]) => ({
      of: unfinished.size,
      id,
      status,
      transitions: await replicas.transitions(id).catch((error: Error) => error.message),
      logged: lines.filter((line) => line.includes(id)).slice(-10),
      loopTrouble: loopTrouble.slice(-10),
    })),
  );
}
