// `npm start` as the README documents it: a restart does not rebuild unchanged sources, and
// stopping npm stops the server it started.
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { waitUntil } from '../../src/common/wait-until';
import { freePort } from '../support/redis';
import { tempDataDir } from '../support/test-config';

const ROOT = resolve(__dirname, '..', '..');

describe('build before start', () => {
  let project: string;

  /** A project whose "build" only counts how often it ran. */
  beforeEach(() => {
    project = tempDataDir('kiln-build-if-stale-');
    mkdirSync(join(project, 'scripts'));
    mkdirSync(join(project, 'src'));
    mkdirSync(join(project, 'dist'));
    mkdirSync(join(project, 'web', 'src'), { recursive: true });
    copyFileSync(
      join(ROOT, 'scripts', 'build-if-stale.js'),
      join(project, 'scripts', 'build-if-stale.js'),
    );
    writeFileSync(join(project, 'src', 'main.ts'), 'export {};\n');
    writeFileSync(join(project, 'web', 'src', 'main.tsx'), 'export {};\n');
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        scripts: {
          'build:server': `node -e "require('fs').appendFileSync('builds', 's')"`,
          'build:web': `node -e "require('fs').appendFileSync('builds', 'w')"`,
        },
      }),
    );
  });

  afterEach(() => rmSync(project, { recursive: true, force: true }));

  const prestart = () => {
    const result = spawnSync(process.execPath, ['scripts/build-if-stale.js'], { cwd: project });
    expect(result.status).toBe(0);
  };
  /** Which builds ran, in order: s for the server, w for the web console. */
  const builds = () =>
    existsSync(join(project, 'builds')) ? readFileSync(join(project, 'builds'), 'utf8') : '';
  const touch = (...path: string[]) => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(project, ...path), later, later);
  };

  it('builds the server and the console on the first start, and not again while nothing changed', () => {
    prestart();
    prestart();
    expect(builds()).toBe('sw');
  });

  it('rebuilds only the server once a server source file changed', () => {
    prestart();
    touch('src', 'main.ts');
    prestart();
    expect(builds()).toBe('sws');
  });

  it('rebuilds only the console once a page of it changed', () => {
    prestart();
    touch('web', 'src', 'main.tsx');
    prestart();
    expect(builds()).toBe('sww');
  });
});

describe('npm start', () => {
  it('stops the server when the npm process is stopped', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start', '--ignore-scripts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'test',
        KILN_DATA_DIR: tempDataDir('kiln-npm-start-'),
        KILN_HOST: '127.0.0.1',
        KILN_LOG_FORMAT: 'json',
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const live = () =>
      fetch(`http://127.0.0.1:${port}/health/live`).then(
        (response) => response.ok,
        () => false,
      );
    try {
      const started = await waitUntil(live, { timeoutMs: 30_000, intervalMs: 100 });
      expect(started.satisfied).toBe(true);
      npm.kill('SIGTERM');
      const stopped = await waitUntil(async () => !(await live()), {
        timeoutMs: 20_000,
        intervalMs: 100,
      });
      expect(stopped.satisfied).toBe(true);
    } finally {
      npm.kill('SIGKILL');
      // An orphaned server names its pid in the Listening line; do not leave it running.
      const pid = Number(/\(pid (\d+)\)/.exec(output)?.[1]);
      if (pid) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }, 60_000);
});
