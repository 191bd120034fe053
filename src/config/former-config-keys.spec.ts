import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig } from './config.loader';
import { KilnConfigModule } from './config.module';

function operatorFile(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kiln-former-keys-')), 'kiln.yaml');
  writeFileSync(path, lines.join('\n'));
  return path;
}

const load = (file: string) =>
  loadConfig({ env: { KILN_CONFIG_FILE: file, KILN_DEFAULT_QUEUE: 'gpu' }, dotenvPath: null });

describe('former config keys', () => {
  const formerKeys = [
    'executors:',
    '  local: { gpuCount: 2 }',
    '  kubernetes: { namespace: training }',
    'tasks:',
    '  queues:',
    '    - { name: gpu, executor: kubernetes, maxRunning: 2, maxGpus: 8 }',
  ];

  it("reads `executors` as `runtimes` and a queue's `executor` as its `runtime`", () => {
    const config = load(operatorFile(formerKeys));
    expect(config.runtimes.local.gpuCount).toBe(2);
    expect(config.runtimes.local.stopGraceMs).toBe(10000); // the rest keeps its defaults
    expect(config.runtimes.kubernetes.namespace).toBe('training');
    expect(config.tasks.queues).toEqual([
      expect.objectContaining({ name: 'gpu', runtime: 'kubernetes' }),
    ]);
  });

  it('has one notice per former key, naming the file and the key to use', () => {
    const file = operatorFile(formerKeys);
    expect(load(file).deprecations).toEqual([
      `${file}: "executors" is deprecated (read as "runtimes"); rename it to "runtimes"`,
      `${file}: "tasks.queues[].executor" is deprecated (read as "runtime"); rename it to "runtime"`,
    ]);
  });

  it('prefers the current key where a file has both, and says the former one is ignored', () => {
    const file = operatorFile([
      'executors: { local: { gpuCount: 2 } }',
      'runtimes: { local: { gpuCount: 4 } }',
      'tasks:',
      '  queues:',
      '    - { name: gpu, executor: kubernetes, runtime: local, maxRunning: 2, maxGpus: 8 }',
    ]);
    const config = load(file);
    expect(config.runtimes.local.gpuCount).toBe(4);
    expect(config.tasks.queues[0].runtime).toBe('local');
    expect(config.deprecations[0]).toContain(
      '"executors" is deprecated (ignored, since "runtimes" is set too)',
    );
  });

  it('has no notices for files that use the current keys', () => {
    const file = operatorFile([
      'runtimes: { local: { gpuCount: 2 } }',
      'tasks:',
      '  queues:',
      '    - { name: gpu, runtime: kubernetes, maxRunning: 2, maxGpus: 8 }',
    ]);
    expect(load(file).deprecations).toEqual([]);
  });

  it('logs each notice once, when the app boots', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const config = load(operatorFile(formerKeys));
      const app = await Test.createTestingModule({
        imports: [KilnConfigModule.forRoot(config)],
      }).compile();
      await app.init();
      await app.close();
      expect(warn.mock.calls.map(([message]) => message)).toEqual(config.deprecations);
    } finally {
      warn.mockRestore();
    }
  });
});
