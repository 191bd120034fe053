import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.loader';
import { KilnConfig } from '../../src/config/kiln.config';

/** A fresh, empty data directory under the OS temp dir. */
export function tempDataDir(prefix = 'kiln-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Config as Kiln would load it with NODE_ENV=test, a temp data dir and these variables. */
export function testConfig(env: Record<string, string> = {}): KilnConfig {
  return loadConfig({
    env: {
      NODE_ENV: 'test',
      // made only when the caller brings none, so no empty directory is left behind
      KILN_DATA_DIR: env.KILN_DATA_DIR ?? tempDataDir(),
      PORT: '0',
      KILN_HOST: '127.0.0.1',
      ...env,
    },
    dotenvPath: null,
  });
}
