import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { ArtifactNotFoundError } from './artifact-not-found.error';
import { ArtifactStore } from './artifact-store';

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('ArtifactStore', () => {
  let sandbox: string;
  let outputDir: string;
  let outside: string;
  const store = new ArtifactStore();

  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(outputDir, path)), { recursive: true });
    writeFileSync(join(outputDir, path), content);
  };
  const paths = async (dir = outputDir, target = store) =>
    (await target.list(dir)).entries.map((entry) => entry.path);

  beforeEach(() => {
    sandbox = mkdtempSync(join(tmpdir(), 'kiln-artifacts-'));
    outputDir = join(sandbox, 'run', 'output');
    outside = join(sandbox, 'outside');
    mkdirSync(outputDir, { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.txt'), 'not yours');
    // A sibling whose name starts with the output directory's name.
    mkdirSync(`${outputDir}-evil`);
    writeFileSync(join(`${outputDir}-evil`, 'x.txt'), 'nope');
  });

  afterEach(() => rmSync(sandbox, { recursive: true, force: true }));

  describe('list', () => {
    it('lists nested files with relative POSIX paths, sizes and times, sorted', async () => {
      write('model.pt', '12345');
      write('metrics/history.csv', 'a,b\n');
      write('checkpoints/epoch-1/weights.bin', 'w');
      mkdirSync(join(outputDir, 'empty'));
      const listing = await store.list(outputDir);
      expect(listing.truncated).toBe(false);
      expect(listing.entries.map((entry) => [entry.path, entry.sizeBytes])).toEqual([
        ['checkpoints/epoch-1/weights.bin', 1],
        ['metrics/history.csv', 4],
        ['model.pt', 5],
      ]);
      const modified = new Date('2026-01-02T03:04:05.000Z');
      utimesSync(join(outputDir, 'model.pt'), modified, modified);
      const [model] = (await store.list(outputDir)).entries.filter((e) => e.path === 'model.pt');
      expect(model.modifiedAt.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    });

    it('returns an empty listing for a directory that does not exist yet', async () => {
      expect(await store.list(join(sandbox, 'never-written'))).toEqual({
        entries: [],
        truncated: false,
      });
    });

    it('stops at maxEntries and says the listing is truncated', async () => {
      for (let i = 0; i < 7; i++) write(`f${i}.txt`, 'x');
      const small = new ArtifactStore({ maxEntries: 5 });
      const listing = await small.list(outputDir);
      expect(listing.entries).toHaveLength(5);
      expect(listing.truncated).toBe(true);
      const exact = await new ArtifactStore({ maxEntries: 7 }).list(outputDir);
      expect(exact).toMatchObject({ truncated: false });
      expect(exact.entries).toHaveLength(7);
    });

    it('leaves out symlinks to files outside the directory', async () => {
      write('model.pt', 'm');
      symlinkSync('/etc/passwd', join(outputDir, 'passwd'));
      symlinkSync(join(outside, 'secret.txt'), join(outputDir, 'secret.txt'));
      symlinkSync(join(sandbox, 'missing'), join(outputDir, 'dangling'));
      expect(await paths()).toEqual(['model.pt']);
    });

    it('lists symlinks to files inside the directory', async () => {
      write('checkpoints/best.pt', 'b');
      symlinkSync('checkpoints/best.pt', join(outputDir, 'latest.pt'));
      expect(await paths()).toEqual(['checkpoints/best.pt', 'latest.pt']);
    });

    it('does not walk into symlinked directories, outside or looping back', async () => {
      write('a/model.pt', 'm');
      symlinkSync(outside, join(outputDir, 'escape'));
      symlinkSync('/etc', join(outputDir, 'etc'));
      symlinkSync('..', join(outputDir, 'a', 'loop'));
      expect(await paths()).toEqual(['a/model.pt']);
    });

    it('works when the output directory itself is reached through a symlink', async () => {
      write('model.pt', 'm');
      const alias = join(sandbox, 'alias');
      symlinkSync(outputDir, alias);
      expect(await paths(alias)).toEqual(['model.pt']);
      expect(await readAll((await store.open(alias, 'model.pt')).stream)).toBe('m');
    });
  });

  describe('open', () => {
    it('streams a nested file with its size and content type', async () => {
      write('metrics/summary.json', '{"loss":0.1}');
      const artifact = await store.open(outputDir, 'metrics/summary.json');
      expect(artifact.sizeBytes).toBe(12);
      expect(artifact.contentType).toBe('application/json');
      expect(await readAll(artifact.stream)).toBe('{"loss":0.1}');
    });

    it('types unknown extensions as application/octet-stream', async () => {
      write('model.safetensors', 'w');
      const artifact = await store.open(outputDir, 'model.safetensors');
      expect(artifact.contentType).toBe('application/octet-stream');
      artifact.stream.destroy();
    });

    it('follows a symlink that stays inside the directory', async () => {
      write('checkpoints/best.pt', 'best');
      symlinkSync('checkpoints/best.pt', join(outputDir, 'latest.pt'));
      expect(await readAll((await store.open(outputDir, 'latest.pt')).stream)).toBe('best');
    });

    it.each([
      ['a missing file', 'nope.txt'],
      ['a directory', 'checkpoints'],
      ['a parent reference', '../outside/secret.txt'],
      ['a parent reference that would come back in', 'checkpoints/../model.pt'],
      ['a Windows-style parent reference', '..\\outside\\secret.txt'],
      ['an absolute path', '/etc/passwd'],
      ['an absolute path into the directory', '/model.pt'],
      ['a drive path', 'C:/model.pt'],
      ['a NUL byte', 'model.pt\0.txt'],
      ['an empty path', ''],
      ['a symlink to /etc/passwd', 'passwd'],
      ['a symlink to a file outside', 'secret.txt'],
      ['a file under a symlinked directory outside', 'escape/secret.txt'],
      ['a sibling directory sharing the name prefix', '../output-evil/x.txt'],
    ])('rejects %s with ArtifactNotFoundError', async (_label, path) => {
      write('model.pt', 'm');
      mkdirSync(join(outputDir, 'checkpoints'));
      symlinkSync('/etc/passwd', join(outputDir, 'passwd'));
      symlinkSync(join(outside, 'secret.txt'), join(outputDir, 'secret.txt'));
      symlinkSync(outside, join(outputDir, 'escape'));
      await expect(store.open(outputDir, path)).rejects.toBeInstanceOf(ArtifactNotFoundError);
    });

    it('rejects any path when the output directory does not exist', async () => {
      await expect(store.open(join(sandbox, 'never-written'), 'model.pt')).rejects.toThrow(
        ArtifactNotFoundError,
      );
    });

    it('answers with a 404 problem', async () => {
      const error = await store.open(outputDir, '../x').catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 404, slug: 'artifact-not-found' });
    });
  });
});
