// The two databases Kiln runs on, as targets a suite can run its cases against with
// describe.each: a fresh SQLite file, or a fresh PostgreSQL database, removed after.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  buildDataSourceOptions,
  connectDataSource,
} from '../../src/infra/database/data-source.factory';
import { SCHEMA } from '../../src/schema';
import { createTestDatabase } from './postgres';
import { tempDataDir, testConfig } from './test-config';

export interface DatabaseTarget {
  name: 'SQLite' | 'PostgreSQL';
  setUp(): Promise<{ url: string; tearDown(): Promise<void> }>;
}

/** `prefix` names the temp dir and the PostgreSQL database, for finding leftovers. */
export function databaseTargets(prefix: string): DatabaseTarget[] {
  return [
    {
      name: 'SQLite',
      setUp: async () => {
        const dir = tempDataDir(`${prefix}-`);
        return {
          url: `sqlite:${join(dir, 'kiln.sqlite')}`,
          tearDown: async () => rmSync(dir, { recursive: true, force: true }),
        };
      },
    },
    {
      name: 'PostgreSQL',
      setUp: async () => {
        const database = await createTestDatabase(prefix.replace(/-/g, '_'));
        return { url: database.url, tearDown: () => database.drop() };
      },
    },
  ];
}

/**
 * A DataSource on a fresh database of `target`, connected as Kiln connects (with `env`
 * on top of the test config); `close()` destroys it and removes the database.
 */
export async function connectToTarget(
  target: DatabaseTarget,
  env: Record<string, string> = {},
): Promise<{ dataSource: DataSource; close(): Promise<void> }> {
  const { url, tearDown } = await target.setUp();
  let dataSource: DataSource;
  try {
    const config = testConfig({ KILN_DATABASE_URL: url, ...env });
    dataSource = await connectDataSource(config, buildDataSourceOptions(config, SCHEMA));
  } catch (error) {
    await tearDown();
    throw error;
  }
  return {
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await tearDown();
    },
  };
}
