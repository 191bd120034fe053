// The launcher program on its own, spoken to over its IPC channel the way Kiln speaks to
// it: what becomes of the runs it started once Kiln is gone.
import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../../../../common/wait-until';
import { readProcessIdentity } from './process-identity';

const LAUNCHER_PROGRAM = join(__dirname, 'process-launcher.cjs');

describe('process launcher program', () => {
  let launcher: ChildProcess;

  beforeEach(() => {
    launcher = fork(LAUNCHER_PROGRAM, [], {
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  });

  afterEach(() => {
    if (launcher.exitCode === null) launcher.kill('SIGKILL');
  });

  async function spawnRun(id: number, script: string): Promise<number> {
    const started = new Promise<number>((resolve, reject) =>
      launcher.on('message', (event: { id: number; event: string; pid?: number }) => {
        if (event.id !== id) return;
        if (event.event === 'spawn') resolve(event.pid!);
        if (event.event === 'error') reject(new Error(JSON.stringify(event)));
      }),
    );
    launcher.send({
      op: 'spawn',
      id,
      file: '/bin/sh',
      args: ['-c', script],
      cwd: '/',
      env: { PATH: process.env.PATH },
    });
    return started;
  }

  it('kills every run it started, and what they started, when Kiln goes away', async () => {
    const run = await spawnRun(1, 'sleep 60 & exec sleep 60');
    const other = await spawnRun(2, 'exec sleep 60');
    expect(await readProcessIdentity(run)).toBeDefined();

    const exited = once(launcher, 'exit');
    launcher.disconnect(); // what Kiln's death looks like from the launcher
    await exited;

    const gone = await waitUntil(
      async () =>
        (await readProcessIdentity(run)) === undefined &&
        (await readProcessIdentity(other)) === undefined &&
        !groupHasProcesses(run),
      { timeoutMs: 5000, intervalMs: 20 },
    );
    expect(gone.satisfied).toBe(true);
  });
});

/** Whether a live (not zombie) process is left in the group `pid` leads. */
function groupHasProcesses(pid: number): boolean {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .some((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return group === String(pid) && state !== 'Z';
      } catch {
        return false; // gone meanwhile
      }
    });
}
