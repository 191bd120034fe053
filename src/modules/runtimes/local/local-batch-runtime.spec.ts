import type { RunRequest } from '../batch-runtime.port';
import { testConfig } from '../../../../test/support/test-config';
import { LocalBatchRuntime } from './local-batch-runtime';

const request: RunRequest = {
  queue: 'default',
  command: ['python', 'train.py'],
  resources: { cpu: 1, memoryMiB: 1024, gpu: 0 },
};

describe('LocalBatchRuntime.validate', () => {
  const runtime = new LocalBatchRuntime(testConfig());

  it('accepts a command, with or without an image it does not need', () => {
    expect(runtime.validate(request)).toEqual([]);
    expect(runtime.validate({ ...request, image: 'trainer:1', workingDir: 'src' })).toEqual([]);
  });

  it('refuses a task without a program to run', () => {
    expect(runtime.validate({ ...request, command: [''] })).toEqual([
      { field: 'command', message: 'must name a program to run' },
    ]);
  });

  it('refuses a working directory outside the run directory', () => {
    expect(runtime.validate({ ...request, workingDir: '../elsewhere' })).toEqual([
      { field: 'workingDir', message: 'must be a relative path inside the run directory' },
    ]);
  });
});
