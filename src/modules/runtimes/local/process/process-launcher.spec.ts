// The launcher program on its own, spoken to over its IPC channel the way Kiln speaks to
// it: what becomes of the runs it started once Kiln is gone.
import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { waitUntil } from '../../../../common/wait-until';
import { processesOfTask } from '../../../../../test/support/run-processes';

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

  /** Starts `script` as run `id`; resolves once the launcher reports it started. */
  async function spawnRun(id: number, script: string): Promise<void> {
    const started = new Promise<void>((resolve, reject) =>
      launcher.on('message', (event: { id: number; event: string }) => {
        if (event.id !== id) return;
        if (event.event === 'spawn') resolve();
        if (event.event === 'error') reject(new Error(JSON.stringify(event)));
      }),
    );
    launcher.send({
      op: 'spawn',
      id,
      file: '/bin/sh',
      args: ['-c', script],
      cwd: '/',
      env: { PATH: process.env.PATH, KILN_TASK_ID: `launcher-spec-${process.pid}-${id}` },
    });
    return started;
  }

  it('kills every run it started, and what they started, when Kiln goes away', async () => {
    await spawnRun(1, 'sleep 60 & exec sleep 60');
    await spawnRun(2, 'exec sleep 60');
    expect(processesOfTask(`launcher-spec-${process.pid}-1`)).toHaveLength(2);

    const exited = once(launcher, 'exit');
    launcher.disconnect(); // what Kiln's death looks like from the launcher
    await exited;

    const gone = await waitUntil(
      () =>
        processesOfTask(`launcher-spec-${process.pid}-1`).length === 0 &&
        processesOfTask(`launcher-spec-${process.pid}-2`).length === 0,
      { timeoutMs: 5000, intervalMs: 20 },
    );
    expect(gone.satisfied).toBe(true);
  });
});
