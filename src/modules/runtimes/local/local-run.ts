// One attempt running as a process this Kiln process supervises: starts it in its own
// process group through the process launcher, writes its output to the log file line by
// line, passes its report lines on, and records how it ended in exit.json.
import { EventEmitter, once } from 'node:events';
import { createWriteStream, WriteStream } from 'node:fs';
import { Logger } from '@nestjs/common';
import type { RunHandle, RunSpec, RunStatus, StopOptions } from '../batch-runtime.port';
import type { RunReporter } from '../run-reporter.port';
import { parseReportLine } from '../report-line.parser';
import { EndedRun, statusOf } from './ended-run';
import { RunStartError } from './local-runtime.errors';
import type { RunProcess } from './process/detached-process';
import { LineSplitter } from './process/line-splitter';
import type { GrowingLog } from './process/log-reader';
import type { ChildExit, LaunchedProcess, ProcessLauncher } from './process/process-launcher';
import { formatRunId, sandboxSettled, signalRun } from './process/process-identity';
import { messageOf } from '../../../common/errors/message-of';
import {
  ExitRecord,
  RunPaths,
  writeExitRecord,
  writeExitedRecordSync,
} from './process/run-directory';

export interface LocalRunOptions {
  spec: RunSpec;
  paths: RunPaths;
  process: RunProcess;
  launcher: ProcessLauncher;
  maxLineLength: number;
  /** Grace between SIGTERM and SIGKILL when the timeout backstop stops the run. */
  stopGraceMs: number;
  /**
   * After the main process exits, how long its output pipes may stay open (held by a
   * grandchild that left the process group) before Kiln stops reading them.
   */
  outputDrainMs: number;
  reporter?: RunReporter;
  /** The id of this Kiln process among the processes sharing the runs directory. */
  supervisor: string;
  /** Called once when the run has ended (not when it failed to start), e.g. to give its GPUs back. */
  onFinished: () => void;
}

const logger = new Logger('LocalBatchRuntime');

export class LocalRun implements GrowingLog {
  private readonly events = new EventEmitter().setMaxListeners(0);
  private version = 0;
  private result?: ExitRecord;
  private timedOut = false;
  private interruptedByShutdown = false;
  private timeoutTimer?: NodeJS.Timeout;
  private readonly finished: Promise<ExitRecord>;

  private constructor(
    private readonly child: LaunchedProcess,
    private readonly log: WriteStream,
    private readonly options: LocalRunOptions,
    readonly handle: RunHandle,
  ) {
    this.finished = this.supervise();
    if (options.spec.timeoutSeconds) this.armTimeout(options.spec.timeoutSeconds);
  }

  static async start(options: LocalRunOptions): Promise<LocalRun> {
    const log = createWriteStream(options.paths.logPath, { flags: 'a' });
    await once(log, 'open');
    let child: LaunchedProcess;
    try {
      // Rejects with the spawn error (ENOENT, EACCES) when the command cannot start.
      child = await options.launcher.start(options.process);
    } catch (error) {
      const message = `could not start ${JSON.stringify(options.spec.command[0])}: ${messageOf(error)}`;
      log.end(`kiln: ${message}\n`);
      throw new RunStartError(message);
    }
    const { pid, startTime } = child;
    const handle: RunHandle = {
      executor: 'local',
      id: formatRunId({ pid, startTime, supervisor: options.supervisor }),
      outputDir: options.paths.outputDir,
      logPath: options.paths.logPath,
    };
    return new LocalRun(child, log, options, handle);
  }

  get status(): RunStatus {
    return this.result ? statusOf(this.result) : { state: 'running' };
  }

  whenFinished(): Promise<ExitRecord> {
    return this.finished;
  }

  /** The small record of this run to keep once it has ended (see EndedRun). */
  async ended(): Promise<EndedRun> {
    const record = await this.finished;
    return new EndedRun(this.handle, record, this.version);
  }

  /** SIGTERM to the run's process group, SIGKILL after the grace; resolves once it ended. */
  async stop(graceMs: number, options: StopOptions = {}): Promise<void> {
    if (this.result) return;
    if (options.timedOut) this.timedOut = true;
    if (this.options.process.sandboxed) {
      await sandboxSettled(this.child.pid);
      if (this.result) return;
    }
    signalRun(this.child.pid, 'SIGTERM');
    const kill = setTimeout(() => signalRun(this.child.pid, 'SIGKILL'), graceMs);
    try {
      await this.finished;
    } finally {
      clearTimeout(kill);
    }
  }

  async interruptForShutdown(graceMs: number): Promise<void> {
    if (this.result) return;
    this.interruptedByShutdown = true;
    await this.stop(graceMs);
  }

  get logVersion(): number {
    return this.version;
  }

  get logComplete(): boolean {
    return this.result !== undefined;
  }

  async nextLogChange(signal?: AbortSignal): Promise<void> {
    try {
      await once(this.events, 'change', { signal });
    } catch {
      // Aborted: the reader checks its signal and stops.
    }
  }

  private armTimeout(seconds: number): void {
    this.timeoutTimer = setTimeout(() => {
      logger.warn(`Run ${this.handle.id} passed its timeout of ${seconds}s; stopping it`);
      void this.stop(this.options.stopGraceMs, { timedOut: true });
    }, seconds * 1000);
    this.timeoutTimer.unref();
  }

  private async supervise(): Promise<ExitRecord> {
    const exit = await this.pipeOutputUntilClosed();
    clearTimeout(this.timeoutTimer);
    const record = this.exitRecord(exit);
    await new Promise<void>((resolve) => this.log.end(resolve));
    await writeExitRecord(this.options.paths, record).catch((error: Error) =>
      logger.error(`Could not write exit.json of run ${this.handle.id}: ${error.message}`),
    );
    this.options.onFinished();
    this.result = record;
    this.changed();
    this.callReporter((reporter, run) => reporter.ended?.(run));
    return record;
  }

  private async pipeOutputUntilClosed(): Promise<ChildExit> {
    const flushLines = this.readOutputLines();
    const exit = await this.child.exited;
    this.recordExited(exit);
    // The run is over when its main process is; whatever it left behind in its group
    // would hold GPUs and the output pipes.
    signalRun(this.child.pid, 'SIGKILL');
    const drain = setTimeout(() => this.child.release(), this.options.outputDrainMs);
    await this.child.closed;
    clearTimeout(drain);
    flushLines();
    return exit;
  }

  /**
   * Hands each line the run prints on stdout or stderr to onLine, cut at the longest line
   * allowed. The returned function, called once the pipes closed, passes on a last line
   * without a newline.
   */
  private readOutputLines(): () => void {
    const onLine = (line: string) => this.onLine(line);
    const stdout = new LineSplitter(this.options.maxLineLength, onLine);
    const stderr = new LineSplitter(this.options.maxLineLength, onLine);
    this.child.onOutput((fd, chunk) => (fd === 1 ? stdout : stderr).push(chunk));
    return () => {
      stdout.end();
      stderr.end();
    };
  }

  private exitRecord({ code, signal, lostReason }: ChildExit): ExitRecord {
    return {
      exitCode: code,
      signal,
      ...(lostReason && { lostReason }),
      timedOut: this.timedOut,
      interruptedByShutdown: this.interruptedByShutdown,
      timeoutSeconds: this.options.spec.timeoutSeconds,
      finishedAt: new Date().toISOString(),
    };
  }

  /** See writeExitedRecordSync: the outcome outlives this process from here on. */
  private recordExited(exit: ChildExit): void {
    try {
      writeExitedRecordSync(this.options.paths, this.exitRecord(exit));
    } catch (error) {
      logger.warn(`Could not write exited.json of run ${this.handle.id}: ${messageOf(error)}`);
    }
  }

  private onLine(line: string): void {
    this.log.write(`${line}\n`, () => this.changed());
    this.report(line);
  }

  private report(line: string): void {
    const parsed = this.options.reporter && parseReportLine(line);
    if (!parsed) return;
    this.callReporter((reporter, run) => {
      if (parsed.kind === 'progress') reporter.progress(run, parsed.fraction);
      else
        reporter.metric(run, {
          name: parsed.name,
          step: parsed.step,
          value: parsed.value,
          time: new Date(),
        });
    });
  }

  /** A failing reporter must not stop the run's output from being logged. */
  private callReporter(
    call: (reporter: RunReporter, run: { taskId: string; attempt: number }) => void,
  ): void {
    const reporter = this.options.reporter;
    if (!reporter) return;
    const run = { taskId: this.options.spec.taskId, attempt: this.options.spec.attempt };
    try {
      call(reporter, run);
    } catch (error) {
      logger.warn(
        `Run reporter failed for ${run.taskId}/${run.attempt}: ${(error as Error).message}`,
      );
    }
  }

  private changed(): void {
    this.version++;
    this.events.emit('change');
  }
}
