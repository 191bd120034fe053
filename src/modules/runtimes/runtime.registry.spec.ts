import { RuntimeRegistry, UnknownRuntimeError } from './runtime.registry';
import type { BatchRuntime } from './batch-runtime.port';

function fakeRuntime(name: string): BatchRuntime {
  return {
    name,
    isolatesRuns: true,
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
});
