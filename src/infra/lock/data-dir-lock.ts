// The embedded mode's guard against a second Kiln process on the same data directory:
// its leader lock lives in memory and cannot see another process, so two of them would
// both lead, dispatch and launch. An exclusive lock on `<dataDir>/kiln.lock`, held for
// the process's life, makes the second one refuse to start.
//
// The lock is SQLite's (better-sqlite3 is already here for the embedded database): an
// OS file lock that the kernel drops when the process dies, so a crash leaves no stale
// lock behind, unlike a pid file or a lock directory.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The part of better-sqlite3 used here; the package ships no types (TypeORM loads it itself). */
interface LockFile {
  readonly open: boolean;
  pragma(source: string): unknown;
  exec(source: string): unknown;
  close(): void;
}
type LockFileOpener = new (path: string, options: { timeout: number }) => LockFile;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as LockFileOpener;

export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `Another Kiln process is using the data directory ${dataDir} (it holds ${join(dataDir, 'kiln.lock')}). ` +
        'The embedded mode runs one process per data directory: stop the other one, or give this one its own KILN_DATA_DIR.',
    );
  }
}

export class DataDirLock {
  private constructor(private readonly file: LockFile) {}

  /** Takes the lock or throws DataDirInUseError at once (no waiting). */
  static acquire(dataDir: string): DataDirLock {
    const directory = resolve(dataDir);
    mkdirSync(directory, { recursive: true });
    const file = new Database(join(directory, 'kiln.lock'), { timeout: 0 });
    try {
      // EXCLUSIVE locking mode keeps the lock of the first write until the file is closed.
      file.pragma('locking_mode = EXCLUSIVE');
      file.exec('BEGIN EXCLUSIVE; COMMIT');
    } catch (error) {
      file.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY')
        throw new DataDirInUseError(directory);
      throw error;
    }
    return new DataDirLock(file);
  }

  release(): void {
    if (this.file.open) this.file.close();
  }
}
