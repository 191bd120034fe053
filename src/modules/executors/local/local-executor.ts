// The local executor: runs each attempt as a child process of this Kiln process, in a
// run directory of its own under the runs directory.
import { rm, rmdir } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { waitUntil } from '../../../common/wait-until';
import { KilnConfig } from '../../../config/kiln.config';
import {
  Executor,
  LogOptions,
  RUN_REPORTER,
  RunHandle,
  RunReporter,
  RunSpec,
  RunStatus,
} from '../executor.port';
import { GpuSlots } from './gpu-slots';
import { EndedRun, statusOf } from './ended-run';
import { LocalRun } from './local-run';
import { readLogLines } from './log-reader';
import {
  isRunning,
  leadsProcessGroup,
  parseRunId,
  ProcessIdentity,
  signalProcess,
} from './process-identity';
import {
  prepareRunDirectory,
  readExitRecord,
  readHandleRecord,
  resolveWorkingDir,
  RunPaths,
  runPaths,
  runPathsOfLog,
  writeHandleRecord,
} from './run-directory';
import { buildRunEnvironment } from './run-environment';

export const LOCAL_EXECUTOR_NAME = 'local';

/** Finished runs kept in memory; older ones are answered from their exit.json. */
const FINISHED_RUNS_KEPT = 1000;
/** How long stop() waits for an orphan to vanish after SIGKILL. */
const ORPHAN_KILL_WAIT_MS = 5000;

const LOST_GONE = 'the process is gone; Kiln restarted or the worker died';
const LOST_ORPHAN =
  'the process still runs but was started by an earlier Kiln process, which can no longer see its output; stop it and retry';

@Injectable()
export class LocalExecutor implements Executor, OnApplicationBootstrap, OnApplicationShutdown {
  readonly name = LOCAL_EXECUTOR_NAME;
  private readonly logger = new Logger(LocalExecutor.name);
  readonly runsDir: string;
  private readonly gpus: GpuSlots;
  private readonly stopGraceMs: number;
  private readonly maxLineLength: number;
  /**
   * Runs started by this process, by run directory: a pending promise while starting,
   * then the LocalRun, then once ended only its EndedRun (the last FINISHED_RUNS_KEPT).
   */
  private readonly runs = new Map<string, Promise<LocalRun | EndedRun>>();
  private readonly finishedRunDirs: string[] = [];
  private shuttingDown = false;

  constructor(
    @Inject(KilnConfig) config: KilnConfig,
    @Optional() @Inject(RUN_REPORTER) private reporter?: RunReporter,
    @Optional() private readonly moduleRef?: ModuleRef,
  ) {
    const local = config.executors.local;
    const runsDir = local.runsDir || resolve(config.dataDir, 'runs');
    this.runsDir = isAbsolute(runsDir) ? runsDir : resolve(process.cwd(), runsDir);
    this.gpus = new GpuSlots(local.gpuCount);
    this.stopGraceMs = local.stopGraceMs;
    this.maxLineLength = local.maxLogLineLength;
  }

  onApplicationBootstrap(): void {
    // RUN_REPORTER belongs to the tasks module, which imports this one, so it is not
    // in this module's scope unless made global; look it up anywhere in the app.
    if (this.reporter || !this.moduleRef) return;
    try {
      this.reporter = this.moduleRef.get<RunReporter>(RUN_REPORTER, { strict: false });
    } catch {
      this.logger.warn(
        'No RUN_REPORTER provided: KILN_METRIC and KILN_PROGRESS lines stay in the log only',
      );
    }
  }

  async launch(spec: RunSpec): Promise<RunHandle> {
    const paths = runPaths(this.runsDir, spec.taskId, spec.attempt);
    let run = this.runs.get(paths.runDir);
    if (!run) {
      const earlier = await readHandleRecord(paths);
      // Started before (by an earlier Kiln process, or forgotten since it finished).
      if (earlier) return earlier;
      run = this.runs.get(paths.runDir) ?? this.start(spec, paths);
      this.runs.set(paths.runDir, run);
      run.catch(() => this.runs.delete(paths.runDir));
    }
    return (await run).handle;
  }

  async inspect(handle: RunHandle): Promise<RunStatus> {
    const paths = this.pathsOf(handle);
    const run = paths && (await this.ownRun(paths, handle));
    if (run) return run.status;
    const exit = paths && (await readExitRecord(paths));
    if (exit) return statusOf(exit);
    const identity = parseRunId(handle.id);
    if (identity && (await isRunning(identity))) return { state: 'lost', reason: LOST_ORPHAN };
    return { state: 'lost', reason: LOST_GONE };
  }

  async stop(handle: RunHandle, graceMs: number): Promise<void> {
    const paths = this.pathsOf(handle);
    const run = paths && (await this.ownRun(paths, handle));
    if (run) return run.stop(graceMs);
    if (paths && (await readExitRecord(paths))) return;
    const identity = parseRunId(handle.id);
    if (identity) await this.stopOrphan(identity, graceMs);
  }

  async *logs(handle: RunHandle, options: LogOptions = {}): AsyncIterable<string> {
    const paths = this.pathsOf(handle);
    if (!paths) return;
    const run = options.follow ? await this.ownRun(paths, handle) : undefined;
    yield* readLogLines(paths.logPath, {
      sinceLine: options.sinceLine,
      signal: options.signal,
      growing: run,
    });
  }

  /** Deletes the run directory (log, outputs), stopping the run first if it still runs. */
  async discard(handle: RunHandle): Promise<void> {
    const paths = this.pathsOf(handle);
    if (!paths) return;
    await this.stop(handle, this.stopGraceMs);
    this.runs.delete(paths.runDir);
    await rm(paths.runDir, { recursive: true, force: true });
    // The task's directory goes with its last attempt.
    await rmdir(dirname(paths.runDir)).catch(() => undefined);
  }

  /**
   * Runs are children of this process: their output pipes end here, so once Kiln exits
   * nobody logs or parses what they print, and they would keep their GPUs while the
   * restarted Kiln, seeing them `lost`, retries them elsewhere. Stopping them now makes
   * the retry the only copy; exit.json marks them interrupted, which inspect reports as
   * `lost` rather than as a failure of the run.
   */
  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    const runs = await Promise.allSettled(this.runs.values());
    const live = runs.flatMap((run) =>
      run.status === 'fulfilled' && run.value instanceof LocalRun && !run.value.hasFinished
        ? [run.value]
        : [],
    );
    if (live.length > 0) this.logger.log(`Stopping ${live.length} local runs on shutdown`);
    await Promise.all(live.map((run) => run.interruptForShutdown(this.stopGraceMs)));
  }

  /** GPUs not given to any run right now. */
  get freeGpus(): number {
    return this.gpus.available;
  }

  private async start(spec: RunSpec, paths: RunPaths): Promise<LocalRun> {
    if (this.shuttingDown)
      throw new Error('Kiln is shutting down; the local executor starts no new runs');
    const cwd = resolveWorkingDir(paths.runDir, spec.workingDir);
    const gpus = this.gpus.allocate(spec.resources.gpu);
    try {
      await prepareRunDirectory(paths, cwd, spec.hyperparameters);
      const run = await LocalRun.start({
        spec,
        paths,
        cwd,
        env: buildRunEnvironment(spec, { outputDir: paths.outputDir, gpus }),
        maxLineLength: this.maxLineLength,
        stopGraceMs: this.stopGraceMs,
        reporter: this.reporter,
        onFinished: () => this.gpus.release(gpus),
      });
      void run.ended().then((ended) => this.retire(paths.runDir, run, ended));
      await writeHandleRecord(paths, run.handle);
      return run;
    } catch (error) {
      this.gpus.release(gpus);
      throw error;
    }
  }

  private pathsOf(handle: RunHandle): RunPaths | undefined {
    return handle.executor === this.name ? runPathsOfLog(this.runsDir, handle.logPath) : undefined;
  }

  /** The run this process started for the handle, if it did. */
  private async ownRun(
    paths: RunPaths,
    handle: RunHandle,
  ): Promise<LocalRun | EndedRun | undefined> {
    const run = await this.runs.get(paths.runDir)?.catch(() => undefined);
    return run?.handle.id === handle.id ? run : undefined;
  }

  /** Stops a run an earlier Kiln process started, after checking its pid was not reused. */
  private async stopOrphan(identity: ProcessIdentity, graceMs: number): Promise<void> {
    if (!(await isRunning(identity))) return;
    const group = await leadsProcessGroup(identity);
    const signal = (name: NodeJS.Signals) => signalProcess(identity.pid, name, group);
    this.logger.warn(
      `Stopping orphaned local run ${identity.pid} (started by an earlier Kiln process)`,
    );
    signal('SIGTERM');
    // Not our child, so no exit event: watching /proc is the only way to see it go.
    const gone = () => isRunning(identity).then((running) => !running);
    if ((await waitUntil(gone, { timeoutMs: graceMs })).satisfied) return;
    if (await isRunning(identity)) signal('SIGKILL');
    await waitUntil(gone, { timeoutMs: ORPHAN_KILL_WAIT_MS });
  }

  /**
   * Keeps memory flat over many runs: an ended run is kept only as its EndedRun, and
   * older ended runs are read from exit.json. A run discarded meanwhile stays forgotten.
   */
  private retire(runDir: string, run: LocalRun, ended: EndedRun): void {
    const current = this.runs.get(runDir);
    if (!current) return;
    void current.then((kept) => {
      if (kept !== run) return;
      this.runs.set(runDir, Promise.resolve(ended));
      this.forgetOldRuns(runDir);
    });
  }

  private forgetOldRuns(finishedRunDir: string): void {
    this.finishedRunDirs.push(finishedRunDir);
    while (this.finishedRunDirs.length > FINISHED_RUNS_KEPT) {
      this.runs.delete(this.finishedRunDirs.shift()!);
    }
  }
}
