import { ExecutorRegistry, UnknownExecutorError } from './executor.registry';
import type { Executor } from './executor.port';

function fakeExecutor(name: string): Executor {
  return {
    name,
    isolatesRuns: true,
    launch: () => Promise.reject(new Error('not used')),
    inspect: () => Promise.resolve({ state: 'running' }),
    stop: () => Promise.resolve(),
    logs: async function* () {},
  };
}

describe('ExecutorRegistry', () => {
  const local = fakeExecutor('local');
  const registry = new ExecutorRegistry(new Map([['local', local]]));

  it('finds an executor by the name queues use', () => {
    expect(registry.get('local')).toBe(local);
    expect(registry.names()).toEqual(['local']);
  });

  it('names the executors it has when asked for one it does not', () => {
    expect(() => registry.get('slurm')).toThrow(UnknownExecutorError);
    expect(() => registry.get('slurm')).toThrow('No executor named "slurm"; this Kiln has: local');
  });
});
