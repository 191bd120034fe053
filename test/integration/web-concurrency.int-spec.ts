// WEB_CONCURRENCY=N: one primary forks N server processes on one port (node:cluster).
// Requests are spread over them, the leader job still runs once per tick, SIGTERM to
// the primary stops them all, and embedded mode refuses to start that way.
import { spawn } from 'node:child_process';
import { waitUntil } from '../../src/common/wait-until';
import { KilnProcess } from '../support/kiln-process';
import {
  gapsBetween,
  LEADER_JOB_ENTRY,
  pidServingRequest,
  readProbeRuns,
} from '../support/leader-probe';
import { createTestDatabase, TestDatabase } from '../support/postgres';
import { createTestRedisPrefix, SHARED_REDIS_URL, TestRedisPrefix } from '../support/redis';
import { tempDataDir } from '../support/test-config';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('WEB_CONCURRENCY=2 in production mode', () => {
  let database: TestDatabase;
  let redisPrefix: TestRedisPrefix;
  let kiln: KilnProcess;
  const workerPids = new Set<number>();

  beforeAll(async () => {
    database = await createTestDatabase('kiln_cluster');
    redisPrefix = createTestRedisPrefix('kiln-cluster');
    kiln = await KilnProcess.start({
      entry: LEADER_JOB_ENTRY,
      env: {
        WEB_CONCURRENCY: '2',
        KILN_DATABASE_URL: database.url,
        KILN_REDIS_URL: SHARED_REDIS_URL,
        KILN_REDIS_KEY_PREFIX: redisPrefix.prefix,
        KILN_LOCK_TTL_MS: '3000',
      },
    });
  });

  afterAll(async () => {
    await kiln?.stop('SIGKILL');
    for (const pid of workerPids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    await redisPrefix?.cleanup();
    await database?.drop();
  });

  it('serves requests from two processes behind one port', async () => {
    const result = await waitUntil(
      async () => {
        workerPids.add(await pidServingRequest(kiln.url));
        return workerPids.size === 2;
      },
      { timeoutMs: 20_000, intervalMs: 10 },
    );
    expect(result.satisfied).toBe(true);
    expect(workerPids.has(kiln.pid)).toBe(false);
  });

  it('still runs the leader job once per tick, on one of them', async () => {
    let runs = await readProbeRuns(database.url);
    await waitUntil(async () => (runs = await readProbeRuns(database.url)).length >= 6, {
      timeoutMs: 20_000,
      intervalMs: 200,
    });
    expect(runs.length).toBeGreaterThanOrEqual(6);
    expect(new Set(runs.map((run) => run.pid)).size).toBe(1);
    expect(workerPids.has(runs[0].pid)).toBe(true);
    for (const gap of gapsBetween(runs)) expect(gap).toBeGreaterThanOrEqual(900);
  });

  it('stops both workers and exits 0 on SIGTERM to the primary', async () => {
    await expect(kiln.stop('SIGTERM')).resolves.toEqual({ code: 0, signal: null });
    expect([...workerPids].filter(isAlive)).toEqual([]);
  });
});

/** Starts the leader-job entry with WEB_CONCURRENCY=2 and resolves with its exit code and stderr. */
async function bootWithTwoProcesses(env: Record<string, string>) {
  const child = spawn(process.execPath, [LEADER_JOB_ENTRY], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      KILN_DATA_DIR: tempDataDir(),
      PORT: '0',
      WEB_CONCURRENCY: '2',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise((done) => child.once('exit', done));
  return { code, stderr };
}

describe('WEB_CONCURRENCY in embedded mode', () => {
  it('exits 1 at boot with a message naming WEB_CONCURRENCY', async () => {
    const { code, stderr } = await bootWithTwoProcesses({});
    expect(code).toBe(1);
    expect(stderr).toContain('WEB_CONCURRENCY (process.webConcurrency): is 2');
    expect(stderr).toContain('embedded drivers cannot be shared');
  });
});

describe('WEB_CONCURRENCY with local GPUs', () => {
  it('exits 1 at boot: each process would hand out the same GPUs', async () => {
    const { code, stderr } = await bootWithTwoProcesses({
      KILN_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/never_used',
      KILN_REDIS_URL: SHARED_REDIS_URL,
      KILN_LOCAL_GPU_COUNT: '2',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('so two runs could get one GPU');
    expect(stderr).not.toContain('embedded drivers cannot be shared');
  });
});
