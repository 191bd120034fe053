import { RuntimeRegistry, UnknownRuntimeError } from './runtime.registry';
import type { BatchRuntime, RunRequest } from './batch-runtime.port';
import { UnrunnableTaskError } from './unrunnable-task.error';

function fakeRuntime(name: string): BatchRuntime {
  return {
    name,
    isolatesRuns: true,
    validate: (request) =>
      request.image ? [] : [{ field: 'image', message: 'is required: each run is a container' }],
    launch: () => Promise.reject(new Error('not used')),
    inspect: () => Promise.resolve({ state: 'running' }),
    stop: () => Promise.resolve(),
    logs: async function* () {},
  };
}

describe('RuntimeRegistry', () => {
  const local = fakeRuntime('local');
  const registry = new RuntimeRegistry(new Map([['local', local]]));

  it('finds a runtime by the name queues use', () => {
    expect(registry.get('local')).toBe(local);
    expect(registry.names()).toEqual(['local']);
  });

  it('names the runtimes it has when asked for one it does not', () => {
    expect(() => registry.get('slurm')).toThrow(UnknownRuntimeError);
    expect(() => registry.get('slurm')).toThrow('No runtime named "slurm"; this Kiln has: local');
  });

  it('refuses a request its runtime could never run, naming the queue, runtime and field', () => {
    const request: RunRequest = {
      queue: 'gpu',
      command: ['python', 'train.py'],
      resources: { cpu: 1, memoryMiB: 1024, gpu: 0 },
    };
    expect(() =>
      registry.assertRunnable('local', { ...request, image: 'trainer:1' }),
    ).not.toThrow();
    expect(() => registry.assertRunnable('local', request)).toThrow(UnrunnableTaskError);
    expect(() => registry.assertRunnable('local', request)).toThrow(
      'Queue "gpu" runs tasks on the local runtime, which cannot run this one: image is required: each run is a container.',
    );
  });
});
