// Real Kiln processes from the build: boot failures and graceful shutdown as an
// operator sees them (exit codes, messages, in-flight requests).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { KilnProcess } from '../support/kiln-process';
import { tempDataDir } from '../support/test-config';

const MAIN = resolve(__dirname, '..', '..', 'dist', 'main.js');
const SLOW_ROUTE_ENTRY = resolve(__dirname, '..', 'support', 'entry', 'slow-route.main.js');

/** Runs dist/main.js with `env` until it exits; resolves with its exit code and stderr. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        KILN_DATA_DIR: tempDataDir(),
        PORT: '0',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', (code) => done({ code, stderr }));
  });
}

describe('boot', () => {
  it('exits 1 naming the key when a config value is invalid', async () => {
    const { code, stderr } = await runToExit({ PORT: 'eighty' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/PORT \(http\.port\): .*integer/);
  });

  it('exits 1 with the expected form when the database URL is not one Kiln supports', async () => {
    const { code, stderr } = await runToExit({ KILN_DATABASE_URL: 'mysql://db/kiln' });
    expect(code).toBe(1);
    expect(stderr).toContain(
      'KILN_DATABASE_URL (database.url): must be a postgres:// or sqlite: URL',
    );
  });

  it('refuses to start in production with the default JWT secret', async () => {
    const { code, stderr } = await runToExit({ NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(stderr).toContain(
      'KILN_JWT_SECRET (auth.jwtSecret): must be set to a secret of your own in production',
    );
  });

  it('gives up on an unreachable database after its retries, saying where it tried', async () => {
    const { code, stderr } = await runToExit({
      KILN_DATABASE_URL: 'postgres://kiln:secret-pw@127.0.0.1:1/kiln',
      KILN_DATABASE_CONNECT_ATTEMPTS: '2',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('Could not connect to the database at postgres://127.0.0.1:1/kiln');
    expect(stderr).not.toContain('secret-pw');
  });
});

describe('graceful shutdown', () => {
  it('finishes every in-flight request after SIGTERM and exits 0', async () => {
    const kiln = await KilnProcess.start({ entry: SLOW_ROUTE_ENTRY });
    const inFlight = Array.from({ length: 5 }, () =>
      fetch(`${kiln.url}/api/v1/probe/slow?ms=1500`),
    );
    await kiln.waitForOutput((text) => text.split('slow request started').length - 1 === 5, 10_000);

    const exit = kiln.stop('SIGTERM');
    const responses = await Promise.all(inFlight);

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    await expect(Promise.all(responses.map((response) => response.json()))).resolves.toEqual(
      Array.from({ length: 5 }, () => ({ finished: true })),
    );
    await expect(exit).resolves.toEqual({ code: 0, signal: null });
    expect(kiln.text).toContain('Shutdown complete');
  });

  it('with a drain delay, answers not ready but keeps serving until the delay is over', async () => {
    const kiln = await KilnProcess.start({ env: { KILN_SHUTDOWN_DRAIN_DELAY_MS: '3000' } });
    const signalledAt = Date.now();
    const exit = kiln.stop('SIGTERM');
    await kiln.waitForStatus('/health/ready', 503, 2_000);

    // a new connection, as a balancer that has not noticed yet would open
    const served = await fetch(`${kiln.url}/health/live`, { headers: { connection: 'close' } });
    expect(served.status).toBe(200);
    await expect(exit).resolves.toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(3000);
  });

  it('refuses new connections once draining has finished', async () => {
    const kiln = await KilnProcess.start();
    await expect(kiln.stop('SIGTERM')).resolves.toEqual({ code: 0, signal: null });
    await expect(fetch(`${kiln.url}/health/live`)).rejects.toThrow();
  });
});
