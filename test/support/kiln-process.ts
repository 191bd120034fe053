import { spawn, ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { waitUntil } from '../../src/common/wait-until';
import { registerKilnServer } from './contract/kiln-servers';
import { freePort } from './redis';
import { tempDataDir } from './test-config';

const MAIN = resolve(__dirname, '..', '..', 'dist', 'main.js');

export interface KilnProcessOptions {
  env?: Record<string, string>;
  /** Script to run instead of dist/main.js, e.g. an entry under test/support/entry. */
  entry?: string;
  /** Wait for /health/ready to answer 200 before resolving (default true). */
  waitForReady?: boolean;
}

/**
 * A real Kiln process from the build (`dist/main.js`, so run `npm run build` first),
 * on a free port with its own data dir unless the env says otherwise.
 */
export class KilnProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString('utf8')));
    this.exited = new Promise((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
  }

  static async start(options: KilnProcessOptions = {}): Promise<KilnProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [options.entry ?? MAIN], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        KILN_DATA_DIR: tempDataDir('kiln-proc-'),
        KILN_HOST: '127.0.0.1',
        KILN_LOG_FORMAT: 'json',
        KILN_LOG_LEVEL: 'info',
        PORT: String(port),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const kiln = new KilnProcess(child, port);
    registerKilnServer(kiln.url);
    if (options.waitForReady === false) return kiln;
    try {
      await kiln.waitForStatus('/health/ready', 200, 30_000);
    } catch (error) {
      // Not handed to the caller, so nobody else would stop it, and it would keep Jest alive.
      child.kill('SIGKILL');
      throw error;
    }
    return kiln;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get text(): string {
    return this.output.join('');
  }

  async waitForStatus(path: string, status: number, timeoutMs: number): Promise<void> {
    const result = await waitUntil(
      async () => {
        if (this.child.exitCode !== null)
          throw new Error(`Kiln exited (${this.child.exitCode}):\n${this.text}`);
        try {
          return (await fetch(this.url + path)).status === status;
        } catch {
          return false;
        }
      },
      { timeoutMs, intervalMs: 100 },
    );
    if (!result.satisfied)
      throw new Error(`${path} did not answer ${status} within ${timeoutMs} ms:\n${this.text}`);
  }

  /** Resolves once the process output satisfies `predicate`. */
  async waitForOutput(predicate: (text: string) => boolean, timeoutMs: number): Promise<void> {
    const result = await waitUntil(() => predicate(this.text), { timeoutMs, intervalMs: 25 });
    if (!result.satisfied)
      throw new Error(`Expected output did not appear within ${timeoutMs} ms:\n${this.text}`);
  }

  /** Sends `signal` and resolves with how the process ended. */
  async stop(signal: NodeJS.Signals = 'SIGTERM') {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
