// The client's types are generated from the committed spec, and `npm run openapi:check`
// (in CI) regenerates them and compares: a response that changes without a regenerated
// client fails there, before any caller compiles against the old shape.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const CLIENT_DIR = resolve(__dirname, '..', '..', '..', 'clients', 'typescript');
const SPEC = resolve(__dirname, '..', '..', '..', 'src', 'openapi', 'openapi.json');

/** The package's own check command, pointed at `specPath`. */
async function checkAgainst(specPath: string): Promise<{ code: number; output: string }> {
  const pkg = JSON.parse(readFileSync(join(CLIENT_DIR, 'package.json'), 'utf8'));
  const script = (pkg.scripts['generate:check'] as string).replace(
    '../../src/openapi/openapi.json',
    specPath,
  );
  const [, ...args] = script.split(' ');
  const entry = require.resolve('openapi-typescript', { paths: [CLIENT_DIR] });
  const cli = resolve(dirname(entry), '..', 'bin', 'cli.js');
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], {
      cwd: CLIENT_DIR,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

// Each test runs the generator in a child process (about 4 s alone on 2 cores), more
// than Jest's default 5 s allows on a loaded machine.
jest.setTimeout(30_000);

describe('the generated client types', () => {
  it('match the committed spec', async () => {
    expect(await checkAgainst(SPEC)).toMatchObject({ code: 0 });
  });

  it('fail the check when a response DTO changed and the client was not regenerated', async () => {
    const spec = JSON.parse(readFileSync(SPEC, 'utf8'));
    const task = spec.components.schemas.TaskResponse;
    task.properties.gpuHours = { type: 'number' };
    task.required.push('gpuHours');
    const changed = join(mkdtempSync(join(tmpdir(), 'kiln-spec-')), 'openapi.json');
    writeFileSync(changed, JSON.stringify(spec));
    const result = await checkAgainst(changed);
    expect(result).toMatchObject({ code: 1, output: expect.stringContaining('not up-to-date') });
  });
});
