import { spawn, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import { waitUntil } from '../../src/common/wait-until';
import { tempDataDir } from './test-config';

/** The shared server; suites only ever touch keys under their own prefix on it. */
export const SHARED_REDIS_URL = process.env.KILN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestRedisPrefix {
  prefix: string;
  /** Deletes every key under the prefix. */
  cleanup(): Promise<void>;
}

export function createTestRedisPrefix(name = 'kiln-test'): TestRedisPrefix {
  const prefix = `${name}:${Date.now().toString(36)}${randomBytes(3).toString('hex')}:`;
  return { prefix, cleanup: () => deleteKeys(SHARED_REDIS_URL, prefix) };
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A private redis-server on a free port, for tests that stop and restart Redis; never
 * the shared one. `stop()` kills it, `start()` brings it back on the same port.
 */
export class PrivateRedisServer {
  private process?: ChildProcess;

  private constructor(
    readonly port: number,
    /** Keeps data across restarts (AOF, fsync on every write), as production Redis does. */
    private readonly dataDir?: string,
  ) {}

  static async start(options: { persistent?: boolean } = {}): Promise<PrivateRedisServer> {
    const dataDir = options.persistent ? tempDataDir('kiln-redis-') : undefined;
    const server = new PrivateRedisServer(await freePort(), dataDir);
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        ...(this.dataDir
          ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dataDir]
          : ['--appendonly', 'no']),
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      // a refused probe must not leave ioredis's disconnect timer holding Jest open
      disconnectTimeout: 0,
    });
    const up = await waitUntil(
      async () => {
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          probe.disconnect();
          return false;
        }
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    probe.disconnect();
    if (!up.satisfied) throw new Error(`redis-server on port ${this.port} did not start`);
  }

  async stop(): Promise<void> {
    const child = this.process;
    // a killed process has a signalCode and no exitCode; waiting for its exit again would hang
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
