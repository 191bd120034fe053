import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunSandbox, SandboxedRun } from './run-sandbox';

const run: SandboxedRun = {
  runDir: '/srv/kiln/data/runs/t/1',
  workDir: '/srv/kiln/data/runs/t/1/work',
  outputDir: '/srv/kiln/data/runs/t/1/output',
  hyperparametersPath: '/srv/kiln/data/runs/t/1/hyperparameters.json',
  cwd: '/srv/kiln/data/runs/t/1',
  usesGpus: false,
};

function sandbox(readOnlyPaths: string[], hiddenPaths: string[] = []): RunSandbox {
  return new RunSandbox({ binary: 'bwrap', readOnlyPaths, hiddenPaths, network: true });
}

/** The `--flag a b` triples of an argv, as "flag a b" strings, in order. */
function mounts(args: string[]): string[] {
  const found: string[] = [];
  args.forEach((arg, index) => {
    if (arg === '--tmpfs') found.push(`tmpfs ${args[index + 1]}`);
    if (/^--(ro-)?bind(-try)?$/.test(arg)) found.push(`${arg.slice(2)} ${args[index + 2]}`);
  });
  return found;
}

describe('RunSandbox', () => {
  it("shows the run's work directory as its run directory, and Kiln's records not at all", () => {
    const { args } = sandbox([]).wrap(['train'], run);
    expect(mounts(args)).toEqual(
      expect.arrayContaining([
        `bind ${run.runDir}`,
        `bind ${run.outputDir}`,
        `ro-bind ${run.hyperparametersPath}`,
      ]),
    );
    expect(args[args.indexOf('--bind') + 1]).toBe(run.workDir);
    expect(args.slice(-2)).toEqual(['--', 'train']);
  });

  it("masks Kiln's paths inside readable ones, and shows a readable path inside them again", () => {
    const { args } = sandbox(['/srv', '/srv/kiln/examples'], ['/srv/kiln', '/home/kiln']).wrap(
      ['train'],
      run,
    );
    const order = mounts(args);
    expect(order).toContain('tmpfs /srv/kiln');
    expect(order).not.toContain('tmpfs /home/kiln'); // never visible, nothing to mask
    expect(order.lastIndexOf('ro-bind-try /srv/kiln/examples')).toBeGreaterThan(
      order.indexOf('tmpfs /srv/kiln'),
    );
  });

  it('masks a config file inside a readable path with an empty file, after the new /tmp', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-sandbox-'));
    const configFile = join(dir, 'kiln.yaml');
    writeFileSync(configFile, 'auth: { jwtSecret: secret }');
    const { args } = sandbox([dir], [configFile]).wrap(['train'], run);
    const mask = args.findIndex((arg, i) => arg === '/dev/null' && args[i + 1] === configFile);
    expect(args[mask - 1]).toBe('--ro-bind');
    expect(mask).toBeGreaterThan(args.indexOf('/tmp'));
    expect(args.indexOf(dir)).toBeGreaterThan(args.indexOf('/tmp'));
  });

  it('isolates the network only when asked, and never nests user namespaces', () => {
    const offline = new RunSandbox({
      binary: 'bwrap',
      readOnlyPaths: [],
      hiddenPaths: [],
      network: false,
    });
    expect(offline.wrap(['x'], run).args).toContain('--unshare-net');
    expect(sandbox([]).wrap(['x'], run).args).not.toContain('--unshare-net');
    expect(sandbox([]).wrap(['x'], run).args).toContain('--disable-userns');
  });

  it('finds a command on the PATH only where the sandbox can see it', async () => {
    const box = sandbox([]);
    await expect(box.commandProblem('sh', { PATH: '/usr/bin:/bin' }, run)).resolves.toBeUndefined();
    await expect(box.commandProblem('sh', { PATH: '/root/bin' }, run)).resolves.toMatch(/ENOENT/);
    await expect(box.commandProblem('/root/train', {}, run)).resolves.toMatch(/not visible/);
  });
});
