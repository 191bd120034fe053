// One attempt running as a child process of this Kiln process: spawns it in its own
// process group, writes its output to the log file line by line, passes its report
// lines on, and records how it ended in exit.json.
import type { ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { createWriteStream, WriteStream } from 'node:fs';
import { Logger } from '@nestjs/common';
import type { RunHandle, RunSpec, RunStatus, StopOptions } from '../batch-runtime.port';
import type { RunReporter } from '../run-reporter.port';
import { parseReportLine } from '../report-line.parser';
import { EndedRun, statusOf } from './ended-run';
import { RunStartError } from './local-runtime.errors';
import { readOutputLines, RunProcess, spawnDetached } from './process/detached-process';
import type { GrowingLog } from './process/log-reader';
import { formatRunId, readChildStartTime, signalRun } from './process/process-identity';
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

type ExitOutcome = [number | null, NodeJS.Signals | null];

export class LocalRun implements GrowingLog {
  private readonly events = new EventEmitter().setMaxListeners(0);
  private version = 0;
  private result?: ExitRecord;
  private timedOut = false;
  private interruptedByShutdown = false;
  private timeoutTimer?: NodeJS.Timeout;
  private readonly finished: Promise<ExitRecord>;

  private constructor(
    private readonly child: ChildProcess & { pid: number },
    private readonly log: WriteStream,
    private readonly options: LocalRunOptions,
    readonly handle: RunHandle,
  ) {
    child.on('error', (error) => logger.warn(`Run ${handle.id}: ${error.message}`));
    this.finished = this.supervise();
    if (options.spec.timeoutSeconds) this.armTimeout(options.spec.timeoutSeconds);
  }

  static async start(options: LocalRunOptions): Promise<LocalRun> {
    const log = createWriteStream(options.paths.logPath, { flags: 'a' });
    await once(log, 'open');
    const child = spawnDetached(options.process);
    const startTime = child.pid ? readChildStartTime(child.pid) : '0';
    try {
      // Rejects with the spawn error (ENOENT, EACCES) when the command cannot start.
      await once(child, 'spawn');
    } catch (error) {
      const message = `could not start ${JSON.stringify(options.spec.command[0])}: ${(error as Error).message}`;
      log.end(`kiln: ${message}\n`);
      throw new RunStartError(message);
    }
    const pid = child.pid!;
    const handle: RunHandle = {
      executor: 'local',
      id: formatRunId({ pid, startTime, supervisor: options.supervisor }),
      outputDir: options.paths.outputDir,
      logPath: options.paths.logPath,
    };
    return new LocalRun(child as ChildProcess & { pid: number }, log, options, handle);
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
    const [exitCode, signal] = await this.pipeOutputUntilClosed();
    clearTimeout(this.timeoutTimer);
    const record = this.exitRecord(exitCode, signal);
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

  private async pipeOutputUntilClosed(): Promise<ExitOutcome> {
    const { stdout, stderr } = this.child;
    // Listen before anything can happen: Node emits 'close' right after 'exit', in the
    // same turn, when the pipes closed first.
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      this.child.once('exit', (code, signal) => resolve([code, signal])),
    );
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    const flushLines = readOutputLines(this.child, this.options.maxLineLength, (line) =>
      this.onLine(line),
    );
    const [exitCode, signal] = await exited;
    this.recordExited(exitCode, signal);
    // The run is over when its main process is; whatever it left behind in its group
    // would hold GPUs and the output pipes.
    signalRun(this.child.pid, 'SIGKILL');
    const drain = setTimeout(
      () => [stdout, stderr].forEach((stream) => stream?.destroy()),
      this.options.outputDrainMs,
    );
    await closed;
    clearTimeout(drain);
    flushLines();
    return [exitCode, signal];
  }

  private exitRecord(exitCode: number | null, signal: NodeJS.Signals | null): ExitRecord {
    return {
      exitCode,
      signal,
      timedOut: this.timedOut,
      interruptedByShutdown: this.interruptedByShutdown,
      timeoutSeconds: this.options.spec.timeoutSeconds,
      finishedAt: new Date().toISOString(),
    };
  }

  /** See writeExitedRecordSync: the outcome outlives this process from here on. */
  private recordExited(exitCode: number | null, signal: NodeJS.Signals | null): void {
    try {
      writeExitedRecordSync(this.options.paths, this.exitRecord(exitCode, signal));
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
