// Runs the built `kiln` binary (clients/typescript/dist, made by `npm run build`) as a
// child process, the way a user's shell does, with its own config directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const KILN_BIN = resolve(
  __dirname,
  '..',
  '..',
  'clients',
  'typescript',
  'dist',
  'cli',
  'main.js',
);

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  stdin?: string;
  env?: Record<string, string>;
}

export class KilnCli {
  readonly configDir = mkdtempSync(join(tmpdir(), 'kiln-cli-'));

  constructor(readonly url: string) {}

  /** Starts `kiln args…`; `output` grows as the child writes. */
  start(args: string[], options: CliOptions = {}): RunningCli {
    const child = spawn(process.execPath, [KILN_BIN, ...args], {
      env: { ...this.env(), NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    return new RunningCli(child);
  }

  run(args: string[], options: CliOptions = {}): Promise<CliResult> {
    return this.start(args, options).result;
  }

  /**
   * Runs `kiln args…` on a pseudo-terminal `columns` wide (util-linux `script`), so it
   * sees a TTY as in a user's terminal; answers everything it wrote, escapes included.
   */
  onTerminal(
    args: string[],
    options: { columns: number; env?: Record<string, string> },
  ): Promise<CliResult> {
    const command = [process.execPath, KILN_BIN, ...args].map(shellQuote).join(' ');
    const child = spawn(
      'script',
      ['-qec', `stty cols ${options.columns} rows 40; exec ${command}`, '/dev/null'],
      { env: { ...this.env(), TERM: 'xterm', ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    return new RunningCli(child).result;
  }

  /** What bash prints running `script`. */
  async runShell(script: string): Promise<string> {
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    return (await new RunningCli(child).result).stdout;
  }

  private env(): Record<string, string | undefined> {
    return {
      PATH: process.env.PATH,
      HOME: this.configDir,
      KILN_CONFIG_DIR: this.configDir,
      KILN_URL: this.url,
    };
  }
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export class RunningCli {
  stdout = '';
  stderr = '';
  readonly result: Promise<CliResult>;
  private readonly listeners = new Set<() => void>();

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => this.append('stdout', chunk));
    child.stderr!.on('data', (chunk: Buffer) => this.append('stderr', chunk));
    this.result = new Promise((done) =>
      child.once('close', (code, signal) =>
        done({ code, signal, stdout: this.stdout, stderr: this.stderr }),
      ),
    );
  }

  /** Resolves once stdout contains `text`. */
  waitForStdout(text: string): Promise<void> {
    return new Promise((done, fail) => {
      const check = () => {
        if (!this.stdout.includes(text)) return;
        this.listeners.delete(check);
        done();
      };
      this.listeners.add(check);
      void this.result.then(() => {
        if (!this.stdout.includes(text))
          fail(new Error(`kiln ended without printing "${text}":\n${this.stdout}\n${this.stderr}`));
      });
      check();
    });
  }

  private append(stream: 'stdout' | 'stderr', chunk: Buffer) {
    this[stream] += chunk.toString('utf8');
    this.listeners.forEach((check) => check());
  }
}
