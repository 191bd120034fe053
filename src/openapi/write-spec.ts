// `npm run openapi` writes the spec; `--check` fails when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/config.loader';
import { buildOpenApiDocument } from './openapi';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const target = args.find((arg) => !arg.startsWith('--')) ?? 'src/openapi/openapi.json';
  const spec = await generateSpec();
  if (!check) {
    writeFileSync(target, spec);
    console.log(`Wrote ${target}`);
    return;
  }
  const committed = readFileSync(target, 'utf8');
  if (committed !== spec) {
    console.error(`${target} is stale: run \`npm run openapi\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${target} is up to date.`);
}

/** The spec of the real app on a throwaway in-memory database, as stable JSON text. */
export async function generateSpec(): Promise<string> {
  const config = loadConfig({
    env: {
      NODE_ENV: 'test',
      KILN_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiln-openapi-')),
      KILN_DATABASE_URL: 'sqlite::memory:',
      KILN_LOG_LEVEL: 'silent',
    },
    dotenvPath: null,
  });
  const app = await createApp(config);
  try {
    return `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
