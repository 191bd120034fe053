// The per-attempt run directory `<runsDir>/<taskId>/<attempt>/` and the files Kiln keeps
// in it: output/ (KILN_OUTPUT_DIR), work/ (a sandboxed run's own directory),
// hyperparameters.json, log.txt, handle.json, exited.json and exit.json, and stop.json
// when another Kiln process asks the run's supervisor to stop it.
import { renameSync, writeFileSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InvalidInputError } from '../../../../common/errors/domain-error';
import type { KilnConfig } from '../../../../config/kiln.config';
import type { RunHandle } from '../../batch-runtime.port';
import { WorkingDirOutsideRunError } from '../local-runtime.errors';

export interface RunPaths {
  runDir: string;
  /** What a sandboxed run sees as its run directory (see RunSandbox). */
  workDir: string;
  outputDir: string;
  logPath: string;
  hyperparametersPath: string;
  exitPath: string;
  exitedPath: string;
  handlePath: string;
  stopRequestPath: string;
}

/** How a run ended, written when it ends so the result outlives this Kiln process. */
export interface ExitRecord {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Killed by the runtime's own timeout backstop. */
  timedOut: boolean;
  /** Killed because Kiln shut down while it ran, not because of anything it did. */
  interruptedByShutdown: boolean;
  /** Nobody saw how it ended (the process launcher died): it counts as lost, not failed. */
  lostReason?: string;
  timeoutSeconds?: number;
  finishedAt: string;
}

/** Asks the process supervising a run to stop it (see RunSupervisors). */
export interface StopRequest {
  graceMs: number;
  /** The run passed its timeout (see StopOptions). */
  timedOut?: boolean;
}

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Where the run directories of this Kiln's local workloads live, as an absolute path. */
export function localRunsDir(config: KilnConfig): string {
  const runsDir = config.runtimes.local.runsDir || resolve(config.dataDir, 'runs');
  return isAbsolute(runsDir) ? runsDir : resolve(process.cwd(), runsDir);
}

export function runPaths(runsDir: string, taskId: string, attempt: number): RunPaths {
  if (!SAFE_SEGMENT.test(taskId) || taskId.includes('..')) {
    throw new InvalidInputError(`taskId ${JSON.stringify(taskId)} cannot name a run directory`);
  }
  if (!Number.isInteger(attempt) || attempt < 0) {
    throw new InvalidInputError(`attempt must be a non-negative integer, got ${attempt}`);
  }
  return runPathsIn(join(runsDir, taskId, String(attempt)));
}

/** The run directory of a handle's log path, when it lies inside `runsDir`. */
export function runPathsOfLog(runsDir: string, logPath: string | undefined): RunPaths | undefined {
  if (!logPath) return undefined;
  const runDir = dirname(resolve(logPath));
  return isInside(resolve(runsDir), runDir) ? runPathsIn(runDir) : undefined;
}

/** The paths of the workload directory `runDir` (a run's, or a service replica's). */
export function runPathsIn(runDir: string): RunPaths {
  return {
    runDir,
    workDir: join(runDir, 'work'),
    outputDir: join(runDir, 'output'),
    logPath: join(runDir, 'log.txt'),
    hyperparametersPath: join(runDir, 'hyperparameters.json'),
    exitPath: join(runDir, 'exit.json'),
    exitedPath: join(runDir, 'exited.json'),
    handlePath: join(runDir, 'handle.json'),
    stopRequestPath: join(runDir, 'stop.json'),
  };
}

/** The run's working directory: the run directory, or `workingDir` inside it. */
export function resolveWorkingDir(runDir: string, workingDir: string | undefined): string {
  if (workingDir === undefined || workingDir === '' || workingDir === '.') return runDir;
  const resolved = resolve(runDir, workingDir);
  if (isAbsolute(workingDir) || workingDir.includes('\0') || !isInside(runDir, resolved)) {
    throw new WorkingDirOutsideRunError(workingDir);
  }
  return resolved;
}

/** Whether `child` is `parent` or lies below it. */
export function isInside(parent: string, child: string): boolean {
  const path = relative(parent, child);
  return path === '' || (!path.startsWith(`..${sep}`) && path !== '..' && !isAbsolute(path));
}

export async function prepareRunDirectory(
  paths: RunPaths,
  workingDir: string,
  hyperparameters: Record<string, unknown>,
): Promise<void> {
  await mkdir(paths.outputDir, { recursive: true });
  await mkdir(workingDir, { recursive: true });
  await writeFile(paths.hyperparametersPath, JSON.stringify(hyperparameters, null, 2));
}

/** The OS user a sandboxed run runs as, when it is not Kiln's own. */
export interface RunOwner {
  uid: number;
  gid: number;
}

/**
 * Lays out a run directory for a sandboxed run: the run writes only to work/ (shown to it
 * as the run directory) and output/, both its own; Kiln's records stay beside them where
 * the run cannot reach. `workingDir` is the working directory as the run sees it.
 * Returns the working directory on the host.
 */
export async function prepareSandboxedRunDirectory(
  paths: RunPaths,
  workingDir: string,
  hyperparameters: Record<string, unknown>,
  owner: RunOwner | undefined,
): Promise<string> {
  await mkdir(paths.runDir, { recursive: true });
  // Traversable but not listable: a run user must reach its own directories through it.
  await chmod(paths.runDir, 0o711);
  await chmod(dirname(paths.runDir), 0o711);
  await writeFile(paths.hyperparametersPath, JSON.stringify(hyperparameters, null, 2), {
    mode: 0o644,
  });
  await makeOwnedDir(paths.outputDir, owner);
  const hostWorkingDir = join(paths.workDir, relative(paths.runDir, workingDir));
  for (const dir of [paths.workDir, ...ancestorsBelow(paths.workDir, hostWorkingDir)]) {
    await makeOwnedDir(dir, owner);
  }
  return hostWorkingDir;
}

/** The directories from just below `root` down to `dir`, outermost first. */
export function ancestorsBelow(root: string, dir: string): string[] {
  const segments = relative(root, dir).split(sep).filter(Boolean);
  return segments.map((_, index) => join(root, ...segments.slice(0, index + 1)));
}

async function makeOwnedDir(dir: string, owner: RunOwner | undefined): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  if (owner) await chown(dir, owner.uid, owner.gid);
}

export async function writeExitRecord(paths: RunPaths, record: ExitRecord): Promise<void> {
  // Write then rename, so a reader never sees half a record.
  const temporary = `${paths.exitPath}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(record));
  await rename(temporary, paths.exitPath);
}

/**
 * How the run's main process ended, written the moment its supervisor sees it, before
 * the output is drained and exit.json (which also says the log is complete) is written.
 * If the supervisor dies in between, the run's outcome is still known. Synchronous, so
 * nothing else the supervisor does comes first.
 */
export function writeExitedRecordSync(paths: RunPaths, record: ExitRecord): void {
  const temporary = `${paths.exitedPath}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(record));
  renameSync(temporary, paths.exitedPath);
}

export function readExitedRecord(paths: RunPaths): Promise<ExitRecord | undefined> {
  return readRecord<ExitRecord>(paths.exitedPath);
}

/** The handle of the run started in this directory, so a repeated launch starts nothing. */
export async function writeHandleRecord(paths: RunPaths, handle: RunHandle): Promise<void> {
  await writeFile(paths.handlePath, JSON.stringify(handle));
}

export function readHandleRecord(paths: RunPaths): Promise<RunHandle | undefined> {
  return readRecord<RunHandle>(paths.handlePath);
}

export function readExitRecord(paths: RunPaths): Promise<ExitRecord | undefined> {
  return readRecord<ExitRecord>(paths.exitPath);
}

export async function writeStopRequest(paths: RunPaths, request: StopRequest): Promise<void> {
  await writeFile(paths.stopRequestPath, JSON.stringify(request));
}

export function readStopRequest(paths: RunPaths): Promise<StopRequest | undefined> {
  return readRecord<StopRequest>(paths.stopRequestPath);
}

/** A JSON record of the run directory, or undefined when it is not there (yet). */
async function readRecord<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
