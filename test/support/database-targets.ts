// The two databases Kiln runs on, as targets a suite can run its cases against with
// describe.each: a fresh SQLite file, or a fresh PostgreSQL database, removed after.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase } from './postgres';
import { tempDataDir } from './test-config';

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
