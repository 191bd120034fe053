import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config.loader';
import { KilnConfigModule } from './config.module';

const load = (env: Record<string, string> = {}) => loadConfig({ env, dotenvPath: null });

function operatorFile(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kiln-renamed-')), 'kiln.yaml');
  writeFileSync(path, lines.join('\n'));
  return path;
}

describe('renamed settings', () => {
  it('still honour an old variable, and note it naming the old and the new name', () => {
    const config = load({ KILN_QUEUE_MAX_STALLED_COUNT: '7', KILN_STOP_GRACE_MS: '1500' });
    expect(config.jobs.maxStalledCount).toBe(7);
    expect(config.tasks.stopGraceMs).toBe(1500);
    expect(config.deprecations).toEqual([
      expect.stringMatching(/KILN_QUEUE_MAX_STALLED_COUNT.*KILN_JOBS_MAX_STALLED_COUNT/),
      expect.stringMatching(/KILN_STOP_GRACE_MS.*KILN_TASK_STOP_GRACE_MS/),
    ]);
  });

  it('let the new variable win when both are set', () => {
    const config = load({ KILN_QUEUE_DRIVER: 'bullmq', KILN_JOBS_DRIVER: 'memory' });
    expect(config.jobs.driver).toBe('memory');
    expect(config.deprecations).toEqual([expect.stringMatching(/KILN_JOBS_DRIVER.*wins/)]);
  });

  it('note nothing when only new names are used', () => {
    expect(load({ KILN_JOBS_DRIVER: 'memory' }).deprecations).toEqual([]);
  });

  it('still honour the old YAML section, keys of the new one winning', () => {
    const path = operatorFile([
      'queue: { completedMaxCount: 11, failedMaxCount: 12 }',
      'jobs: { failedMaxCount: 13 }',
    ]);
    const config = load({ KILN_CONFIG_FILE: path });
    expect(config.jobs.completedMaxCount).toBe(11);
    expect(config.jobs.failedMaxCount).toBe(13);
    expect(config.jobs.driver).toBe('auto');
    expect(config.deprecations).toEqual([expect.stringContaining(`queue is deprecated`)]);
    expect(config.deprecations[0]).toContain(`use jobs`);
    expect(config.deprecations[0]).toContain(path);
  });

  it('are warned about once at boot', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const config = load({ KILN_QUEUE_DRIVER: 'memory' });
      const moduleRef = await Test.createTestingModule({
        imports: [KilnConfigModule.forRoot(config)],
      }).compile();
      await moduleRef.init();
      await moduleRef.close();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith(
        'KILN_QUEUE_DRIVER is deprecated and will be removed: use KILN_JOBS_DRIVER',
      );
    } finally {
      warn.mockRestore();
    }
  });
});
