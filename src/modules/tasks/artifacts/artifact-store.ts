// Lists and opens the files a run wrote under its output directory (KILN_OUTPUT_DIR),
// never anything outside it: the run controls that directory's contents, including
// symlinks it may plant to reach the server's files.
import { constants } from 'node:fs';
import { FileHandle, lstat, open, opendir, readlink, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { ArtifactNotFoundError } from './artifact-not-found.error';
import {
  ARTIFACT_STORE_OPTIONS,
  ArtifactStoreOptions,
  DEFAULT_ARTIFACT_STORE_OPTIONS,
} from './artifact-store.options';
import { contentTypeOf } from './content-type';

export interface ArtifactEntry {
  /** Relative to the output directory, `/`-separated. */
  path: string;
  sizeBytes: number;
  modifiedAt: Date;
}

export interface ArtifactListing {
  /** Sorted by path. */
  entries: ArtifactEntry[];
  /** True when the directory holds more files than the listing returns. */
  truncated: boolean;
}

export interface OpenedArtifact {
  stream: Readable;
  sizeBytes: number;
  contentType: string;
}

// O_NOFOLLOW: fail instead of following a symlink put in place of the file after the
// realpath check. O_NONBLOCK: a FIFO the run left behind must not hang a libuv thread
// in open(2); it has no effect on regular files.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

@Injectable()
export class ArtifactStore {
  private readonly options: ArtifactStoreOptions;

  constructor(@Optional() @Inject(ARTIFACT_STORE_OPTIONS) options?: Partial<ArtifactStoreOptions>) {
    this.options = { ...DEFAULT_ARTIFACT_STORE_OPTIONS, ...options };
  }

  /** Every regular file under `outputDir`; an absent directory is an empty listing. */
  async list(outputDir: string): Promise<ArtifactListing> {
    const root = await realpathOrUndefined(outputDir);
    if (root === undefined) return { entries: [], truncated: false };
    const listing: ArtifactListing = { entries: [], truncated: false };
    await this.walk(root, root, listing);
    listing.entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return listing;
  }

  /** Opens one file for streaming, or throws ArtifactNotFoundError. */
  async open(outputDir: string, relativePath: string): Promise<OpenedArtifact> {
    if (!isSafeRelativePath(relativePath)) throw new ArtifactNotFoundError(relativePath);
    const root = await realpathOrUndefined(outputDir);
    const target = root && (await realpathOrUndefined(join(root, relativePath)));
    if (!root || !target || !isInside(root, target)) throw new ArtifactNotFoundError(relativePath);

    const handle = await open(target, OPEN_FLAGS).catch(() => {
      throw new ArtifactNotFoundError(relativePath);
    });
    try {
      const stats = await handle.stat();
      if (!stats.isFile() || !(await opensInside(handle, root, target)))
        throw new ArtifactNotFoundError(relativePath);
      return {
        stream: handle.createReadStream({ autoClose: true }),
        sizeBytes: stats.size,
        contentType: contentTypeOf(target),
      };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  private async walk(root: string, dir: string, listing: ArtifactListing): Promise<void> {
    const entries = await opendir(dir).catch(() => undefined);
    if (!entries) return;
    for await (const entry of entries) {
      if (listing.truncated) break; // leaving the loop closes the directory
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await this.walk(root, path, listing);
      // Symlinked directories are never walked: one could lead out or loop back.
      else if (entry.isFile() || entry.isSymbolicLink()) await this.add(root, path, listing);
    }
  }

  private async add(root: string, path: string, listing: ArtifactListing): Promise<void> {
    const file = await fileInside(root, path);
    if (!file) return;
    if (listing.entries.length >= this.options.maxEntries) {
      listing.truncated = true;
      return;
    }
    listing.entries.push({
      path: relative(root, path).split(sep).join('/'),
      sizeBytes: file.size,
      modifiedAt: file.mtime,
    });
  }
}

/** Stats of the regular file at `path`, following a symlink only if it stays inside `root`. */
async function fileInside(root: string, path: string) {
  const own = await lstat(path).catch(() => undefined);
  if (own?.isFile()) return own;
  if (!own?.isSymbolicLink()) return undefined;
  const target = await realpathOrUndefined(path);
  if (!target || !isInside(root, target)) return undefined;
  const stats = await stat(target).catch(() => undefined);
  return stats?.isFile() ? stats : undefined;
}

/** Relative, `/`-separated, without `..`, NUL or a drive or root. */
function isSafeRelativePath(path: string): boolean {
  if (typeof path !== 'string' || path === '' || path.includes('\0')) return false;
  if (isAbsolute(path) || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) return false;
  return !path.split(/[/\\]/).includes('..');
}

function isInside(root: string, target: string): boolean {
  // The trailing separator keeps /data/runs/a from matching /data/runs/ab.
  return target.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * O_NOFOLLOW guards only the last path component: a directory on the way could still
 * be swapped for a symlink between realpath() and open(). On Linux the kernel tells
 * which file the descriptor really is, so check that too; elsewhere compare it with
 * the file realpath() found.
 */
async function opensInside(handle: FileHandle, root: string, target: string): Promise<boolean> {
  const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
  if (opened !== undefined) return isInside(root, opened);
  const [byHandle, byPath] = await Promise.all([handle.stat(), stat(target)]);
  return byHandle.dev === byPath.dev && byHandle.ino === byPath.ino;
}

async function realpathOrUndefined(path: string): Promise<string | undefined> {
  return realpath(path).catch(() => undefined);
}
