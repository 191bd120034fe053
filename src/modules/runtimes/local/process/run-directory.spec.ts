import { join } from 'node:path';
import { InvalidInputError } from '../../../../common/errors/domain-error';
import { WorkingDirOutsideRunError } from '../local-runtime.errors';
import { resolveWorkingDir, runPaths, runPathsOfLog } from './run-directory';

describe('run directory', () => {
  const runs = '/var/kiln/runs';

  it('lays out one directory per task and attempt', () => {
    expect(runPaths(runs, 'task-1', 2)).toEqual({
      runDir: '/var/kiln/runs/task-1/2',
      workDir: '/var/kiln/runs/task-1/2/work',
      outputDir: '/var/kiln/runs/task-1/2/output',
      logPath: '/var/kiln/runs/task-1/2/log.txt',
      hyperparametersPath: '/var/kiln/runs/task-1/2/hyperparameters.json',
      exitPath: '/var/kiln/runs/task-1/2/exit.json',
      exitedPath: '/var/kiln/runs/task-1/2/exited.json',
      handlePath: '/var/kiln/runs/task-1/2/handle.json',
      stopRequestPath: '/var/kiln/runs/task-1/2/stop.json',
    });
  });

  it('refuses task ids that would leave the runs directory', () => {
    for (const taskId of ['..', '../x', 'a/b', '', '.hidden', 'a..b']) {
      expect(() => runPaths(runs, taskId, 1)).toThrow(InvalidInputError);
    }
  });

  it('finds the run directory of a handle only when its log lies inside the runs directory', () => {
    expect(runPathsOfLog(runs, '/var/kiln/runs/t/1/log.txt')?.runDir).toBe('/var/kiln/runs/t/1');
    expect(runPathsOfLog(runs, '/etc/log.txt')).toBeUndefined();
    expect(runPathsOfLog(runs, '/var/kiln/runs/../secrets/log.txt')).toBeUndefined();
    expect(runPathsOfLog(runs, undefined)).toBeUndefined();
  });

  it('resolves a working directory inside the run and rejects every way out', () => {
    const runDir = '/var/kiln/runs/t/1';
    expect(resolveWorkingDir(runDir, undefined)).toBe(runDir);
    expect(resolveWorkingDir(runDir, 'src/train')).toBe(join(runDir, 'src/train'));
    expect(resolveWorkingDir(runDir, 'a/../b')).toBe(join(runDir, 'b'));
    for (const escape of ['..', '../2', 'a/../../..', '/tmp', '..foo/../..']) {
      expect(() => resolveWorkingDir(runDir, escape)).toThrow(WorkingDirOutsideRunError);
    }
  });
});
