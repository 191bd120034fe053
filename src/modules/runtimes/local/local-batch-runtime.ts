// The local batch runtime: runs each attempt as a child process of this Kiln process, in a
// run directory of its own under the runs directory. Other Kiln processes sharing the
// runs directory answer for its runs through the files there (see RunSupervisors).
import { rm, rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { waitUntil } from '../../../common/wait-until';
import { KilnConfig } from '../../../config/kiln.config';
import {
  BatchRuntime,
  LogOptions,
  RunHandle,
  RunLocator,
  RunRequest,
  RunSpec,
  RunStatus,
  StopOptions,
} from '../batch-runtime.port';
import type { FieldProblem } from '../../../common/errors/domain-error';
import type { RunReporter } from '../run-reporter.port';
import { RunReporterRelay } from '../run-reporter.relay';
import { GpuSlots } from './process/gpu-slots';
import { EndedRun, statusOf } from './ended-run';
import { RunNotStoppedError } from './local-runtime.errors';
import { LocalRun } from './local-run';
import { GrowingLog, readLogLines } from './process/log-reader';
import { PolledLog } from './process/polled-log';
import { ProcessLauncher } from './process/process-launcher';
import {
  isRunning,
  leadsProcessGroup,
  parseRunId,
  ProcessIdentity,
  RunId,
  signalProcess,
  signalRun,
} from './process/process-identity';
import {
  localRunsDir,
  prepareRunDirectory,
  prepareSandboxedRunDirectory,
  readExitedRecord,
  readExitRecord,
  readHandleRecord,
  readStopRequest,
  resolveWorkingDir,
  RunPaths,
  runPaths,
  runPathsOfLog,
  StopRequest,
  writeHandleRecord,
  writeStopRequest,
} from './process/run-directory';
import { buildRunEnvironment } from './run-environment';
import { LocalSandboxing } from './process/local-sandboxing';
import { RunSupervisors, SUPERVISOR_TICK_MS } from './process/run-supervisors';

export const LOCAL_RUNTIME = 'local';

/** The run's argv: its command, or the shell running its one command string. */
function commandLine(spec: RunSpec): string[] {
  return spec.shell ? ['/bin/sh', '-c', spec.command.join(' ')] : spec.command;
}

/** Whether `workingDir` resolves inside a run directory, wherever that directory is. */
function staysInsideRunDir(workingDir: string | undefined): boolean {
  try {
    resolveWorkingDir('/run', workingDir);
    return true;
  } catch {
    return false;
  }
}

/** Finished runs kept in memory; older ones are answered from their exit.json. */
const FINISHED_RUNS_KEPT = 1000;
/** How long stop() waits for an orphan to vanish after SIGKILL. */
const ORPHAN_KILL_WAIT_MS = 5000;
/** How often stop() looks for the exit.json of a run another process stops. */
const STOPPED_ELSEWHERE_POLL_MS = 100;

const LOST_GONE = 'the process is gone; Kiln restarted or the worker died';
const LOST_ORPHAN =
  'the process still runs but was started by an earlier Kiln process, which can no longer see its output; stop it and retry';

@Injectable()
export class LocalBatchRuntime implements BatchRuntime, OnModuleInit, OnApplicationShutdown {
  readonly name = LOCAL_RUNTIME;
  private readonly logger = new Logger(LocalBatchRuntime.name);
  readonly runsDir: string;
  private readonly gpus: GpuSlots;
  private readonly stopGraceMs: number;
  private readonly maxLineLength: number;
  private readonly outputDrainMs: number;
  /**
   * Runs started by this process, by run directory: a pending promise while starting,
   * then the LocalRun, then once ended only its EndedRun (the last FINISHED_RUNS_KEPT).
   */
  private readonly runs = new Map<string, Promise<LocalRun | EndedRun>>();
  private readonly finishedRunDirs: string[] = [];
  /** Runs of this process that have not ended yet, by run directory. */
  private readonly liveRuns = new Map<string, LocalRun>();
  private readonly stopsRequested = new WeakSet<LocalRun>();
  private readonly supervisors: RunSupervisors;
  private supervision?: Promise<void>;
  private supervisionTimer?: NodeJS.Timeout;
  private shuttingDown = false;
  private readonly sandboxing: LocalSandboxing;
  private readonly launcher = new ProcessLauncher();

  constructor(
    @Inject(KilnConfig) config: KilnConfig,
    @Inject(RunReporterRelay) private readonly reporter?: RunReporter,
    @Optional() sandboxing?: LocalSandboxing,
  ) {
    const local = config.runtimes.local;
    this.runsDir = localRunsDir(config);
    this.sandboxing = sandboxing ?? new LocalSandboxing(config);
    this.gpus = new GpuSlots(local.gpuCount);
    this.stopGraceMs = local.stopGraceMs;
    this.maxLineLength = local.maxLogLineLength;
    this.outputDrainMs = local.outputDrainMs;
    this.supervisors = new RunSupervisors(this.runsDir);
  }

  /** Whether runs execute in the sandbox, apart from Kiln and from each other. */
  get isolatesRuns(): boolean {
    return this.sandboxing.isolates;
  }

  /** Decides whether runs are sandboxed (see LocalSandboxing), once for every local runtime. */
  onModuleInit(): Promise<void> {
    return this.sandboxing.decide();
  }

  /** A run is a program started in its run directory: it needs one, and must stay inside. */
  validate(request: RunRequest): FieldProblem[] {
    const problems: FieldProblem[] = [];
    if (!request.command[0]?.trim()) {
      problems.push({ field: 'command', message: 'must name a program to run' });
    }
    if (!staysInsideRunDir(request.workingDir)) {
      problems.push({
        field: 'workingDir',
        message: 'must be a relative path inside the run directory',
      });
    }
    return problems;
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
    if (await this.liveSupervisorElsewhere(identity)) return { state: 'running' };
    // Its supervisor died after the run ended but before writing exit.json: the outcome
    // stands (the log may miss its last lines), so the run is not lost and run again.
    const exited = paths && (await readExitedRecord(paths));
    if (exited) return statusOf(exited);
    if (identity && (await isRunning(identity))) return { state: 'lost', reason: LOST_ORPHAN };
    return { state: 'lost', reason: LOST_GONE };
  }

  async stop(handle: RunHandle, graceMs: number, options: StopOptions = {}): Promise<void> {
    const paths = this.pathsOf(handle);
    const run = paths && (await this.ownRun(paths, handle));
    if (run) return run.stop(graceMs, options);
    if (paths && (await readExitRecord(paths))) return;
    const identity = parseRunId(handle.id);
    const supervisor = await this.liveSupervisorElsewhere(identity);
    const request = { graceMs, timedOut: options.timedOut };
    if (paths && supervisor && (await this.stopElsewhere(paths, supervisor, request))) return;
    if (identity) await this.stopOrphan(identity, graceMs);
  }

  async *logs(handle: RunHandle, options: LogOptions = {}): AsyncIterable<string> {
    const paths = this.pathsOf(handle);
    if (!paths) return;
    const growing = options.follow ? await this.growingLog(paths, handle) : undefined;
    yield* readLogLines(paths.logPath, {
      sinceLine: options.sinceLine,
      signal: options.signal,
      growing,
    });
  }

  /** The handle a launch recorded in the run directory, whichever process launched it. */
  async find({ taskId, attempt }: RunLocator): Promise<RunHandle | undefined> {
    return readHandleRecord(runPaths(this.runsDir, taskId, attempt));
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
    clearInterval(this.supervisionTimer);
    await Promise.allSettled(this.runs.values()); // runs still starting
    const live = [...this.liveRuns.values()];
    if (live.length > 0) this.logger.log(`Stopping ${live.length} local runs on shutdown`);
    await Promise.all(live.map((run) => run.interruptForShutdown(this.stopGraceMs)));
    if (this.supervision) await this.supervisors.withdraw();
    this.launcher.close();
  }

  /** GPUs not given to any run right now. */
  get freeGpus(): number {
    return this.gpus.available;
  }

  private async start(spec: RunSpec, paths: RunPaths): Promise<LocalRun> {
    if (this.shuttingDown)
      throw new Error('Kiln is shutting down; the local runtime starts no new runs');
    await this.superviseRuns();
    const gpus = this.gpus.allocate(spec.resources.gpu);
    let run: LocalRun;
    try {
      run = await this.startProcess(spec, paths, gpus);
    } catch (error) {
      this.gpus.release(gpus);
      throw error;
    }
    this.liveRuns.set(paths.runDir, run);
    void run.ended().then((ended) => this.retire(paths.runDir, run, ended));
    await writeHandleRecord(paths, run.handle).catch(async (error: unknown) => {
      // No other Kiln process could find the run, and this launch fails and is retried:
      // the run must not go on beside its retry.
      await run.stop(0);
      throw error;
    });
    return run;
  }

  /** Lays out the run directory and starts the run's process; the run frees `gpus` at its end. */
  private async startProcess(spec: RunSpec, paths: RunPaths, gpus: number[]): Promise<LocalRun> {
    const cwd = resolveWorkingDir(paths.runDir, spec.workingDir);
    const env = buildRunEnvironment(
      spec,
      { outputDir: paths.outputDir, gpus },
      this.sandboxing.parentEnv(),
    );
    await this.layOutRunDirectory(spec, paths, cwd);
    const runProcess = await this.sandboxing.processFor(
      commandLine(spec),
      paths,
      cwd,
      env,
      gpus.length > 0,
    );
    return LocalRun.start({
      spec,
      paths,
      process: runProcess,
      launcher: this.launcher,
      maxLineLength: this.maxLineLength,
      stopGraceMs: this.stopGraceMs,
      outputDrainMs: this.outputDrainMs,
      reporter: this.reporter,
      supervisor: this.supervisors.selfId,
      onFinished: () => this.gpus.release(gpus),
    });
  }

  private async layOutRunDirectory(spec: RunSpec, paths: RunPaths, cwd: string): Promise<void> {
    if (!this.sandboxing.isolates) {
      await prepareRunDirectory(paths, cwd, spec.hyperparameters);
      return;
    }
    const owner = this.sandboxing.user;
    await prepareSandboxedRunDirectory(paths, cwd, spec.hyperparameters, owner);
  }

  /**
   * Announces this process as a supervisor of runs and starts its heartbeat, once; the
   * heartbeat also carries out stop requests other processes leave for its runs.
   */
  private superviseRuns(): Promise<void> {
    this.supervision ??= this.supervisors.announce().then(() => {
      this.supervisionTimer = setInterval(() => void this.supervisionTick(), SUPERVISOR_TICK_MS);
      this.supervisionTimer.unref();
    });
    return this.supervision;
  }

  private async supervisionTick(): Promise<void> {
    try {
      await this.supervisors.heartbeat();
      await Promise.all([...this.liveRuns.values()].map((run) => this.stopIfRequested(run)));
    } catch (error) {
      this.logger.warn(`Run supervision tick failed: ${(error as Error).message}`);
    }
  }

  private async stopIfRequested(run: LocalRun): Promise<void> {
    const paths = runPathsOfLog(this.runsDir, run.handle.logPath);
    const request = paths && !this.stopsRequested.has(run) && (await readStopRequest(paths));
    if (!request) return;
    this.stopsRequested.add(run);
    this.logger.log(`Stopping run ${run.handle.id} at another Kiln process's request`);
    await run.stop(request.graceMs, { timedOut: request.timedOut });
  }

  /** The run's supervisor when that is another live Kiln process, which answers for it. */
  private async liveSupervisorElsewhere(identity: RunId | undefined): Promise<string | undefined> {
    const supervisor = identity?.supervisor;
    if (!supervisor || supervisor === this.supervisors.selfId) return undefined;
    return (await this.supervisors.isAlive(supervisor)) ? supervisor : undefined;
  }

  /**
   * Asks the run's supervisor to stop it and waits for its exit.json. False when the
   * supervisor died meanwhile, so the caller treats the run as an orphan.
   */
  private async stopElsewhere(
    paths: RunPaths,
    supervisor: string,
    request: StopRequest,
  ): Promise<boolean> {
    await writeStopRequest(paths, request);
    const settled = await waitUntil(() => this.endedOrAbandoned(paths, supervisor), {
      timeoutMs: request.graceMs + ORPHAN_KILL_WAIT_MS + 2 * SUPERVISOR_TICK_MS,
      intervalMs: STOPPED_ELSEWHERE_POLL_MS,
    });
    if (await readExitRecord(paths)) return true;
    if (settled.satisfied) return false;
    throw new RunNotStoppedError(paths.runDir);
  }

  /** What a follower of the run's log waits on, when the run may still write to it. */
  private async growingLog(paths: RunPaths, handle: RunHandle): Promise<GrowingLog | undefined> {
    const own = await this.ownRun(paths, handle);
    if (own) return own;
    const supervisor = await this.liveSupervisorElsewhere(parseRunId(handle.id));
    if (!supervisor || (await readExitRecord(paths))) return undefined;
    return new PolledLog(paths.logPath, () => this.endedOrAbandoned(paths, supervisor));
  }

  /**
   * Whether a run another process supervises will write no more: it has its exit.json
   * (written after the log's last line), or its supervisor is gone.
   */
  private async endedOrAbandoned(paths: RunPaths, supervisor: string): Promise<boolean> {
    return Boolean(await readExitRecord(paths)) || !(await this.supervisors.isAlive(supervisor));
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
    const signal = (name: NodeJS.Signals) =>
      group ? signalRun(identity.pid, name) : signalProcess(identity.pid, name, false);
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
    if (this.liveRuns.get(runDir) === run) this.liveRuns.delete(runDir);
    const current = this.runs.get(runDir);
    if (!current) return;
    void current.then(
      (kept) => {
        if (kept !== run) return;
        this.runs.set(runDir, Promise.resolve(ended));
        this.forgetOldRuns(runDir);
      },
      () => undefined, // its start failed after the process started: launch forgets it
    );
  }

  private forgetOldRuns(finishedRunDir: string): void {
    this.finishedRunDirs.push(finishedRunDir);
    while (this.finishedRunDirs.length > FINISHED_RUNS_KEPT) {
      this.runs.delete(this.finishedRunDirs.shift()!);
    }
  }
}
