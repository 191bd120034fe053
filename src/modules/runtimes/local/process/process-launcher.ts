// Starts local runs through Kiln's process launcher (process-launcher.cjs), a small
// process forked once, instead of from Kiln itself: a fork from Kiln's large heap blocks
// the event loop for milliseconds per run. The launcher is the runs' parent; it passes
// their output, exit and the closing of their pipes back over the IPC channel.
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { RunProcess } from './detached-process';
import { startTimeFromStat } from './process-identity';

const LAUNCHER_PROGRAM = join(__dirname, 'process-launcher.cjs');

const LAUNCHER_DIED = "Kiln's process launcher exited while the run was running";

/** How a run's main process ended; `lostReason` when nobody could see how. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  lostReason?: string;
}

type OutputListener = (fd: 1 | 2, chunk: Buffer) => void;

/** A run's main process, started by the launcher. */
export class LaunchedProcess {
  pid = 0;
  /** Field 22 of /proc/<pid>/stat, read by the launcher right after the start. */
  startTime = '0';
  /** How the main process ended. */
  readonly exited: Promise<ChildExit>;
  /** Settles once every process holding the run's output pipes has closed them. */
  readonly closed: Promise<void>;
  private listener?: OutputListener;
  /** Output that came before anyone listened: the launcher does not wait for Kiln. */
  private early: Array<[1 | 2, Buffer]> = [];
  private resolveExit!: (exit: ChildExit) => void;
  private resolveClose!: () => void;

  constructor(private readonly releaseOutput: () => void) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
    this.closed = new Promise((resolve) => (this.resolveClose = resolve));
  }

  /** Hands each chunk the run writes on stdout (1) or stderr (2) to `listener`. */
  onOutput(listener: OutputListener): void {
    this.listener = listener;
    for (const [fd, chunk] of this.early) listener(fd, chunk);
    this.early = [];
  }

  /** Stops reading output that processes the run left behind still hold open. */
  release(): void {
    this.releaseOutput();
  }

  output(fd: 1 | 2, chunk: Buffer): void {
    if (this.listener) this.listener(fd, chunk);
    else this.early.push([fd, chunk]);
  }

  exit(exit: ChildExit): void {
    this.resolveExit(exit);
  }

  close(): void {
    this.resolveClose();
  }

  /**
   * The launcher is gone: nobody will see this process end, or read its output. (An
   * exit already reported stands: a promise settles once.)
   */
  orphan(): void {
    this.exit({ code: null, signal: null, lostReason: LAUNCHER_DIED });
    this.close();
  }
}

type LauncherEvent =
  | { id: number; event: 'spawn'; pid: number; stat: string }
  | { id: number; event: 'error'; message: string }
  | { id: number; event: 'output'; fd: 1 | 2; data: Uint8Array }
  | { id: number; event: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { id: number; event: 'close' };

interface Launch {
  /** Its pid is set once the launcher reported the start. */
  child: LaunchedProcess;
  started: { resolve: (child: LaunchedProcess) => void; reject: (error: Error) => void };
}

export class ProcessLauncher {
  private readonly logger = new Logger(ProcessLauncher.name);
  private launcher?: ChildProcess;
  private readonly launches = new Map<number, Launch>();
  private nextId = 1;

  /** Starts the process; rejects with the system's reason when it cannot (ENOENT, EACCES). */
  start(spec: RunProcess): Promise<LaunchedProcess> {
    const launcher = this.launcher ?? this.forkLauncher();
    const id = this.nextId++;
    const child = new LaunchedProcess(() => this.send(launcher, { op: 'release', id }));
    return new Promise<LaunchedProcess>((resolve, reject) => {
      this.launches.set(id, { child, started: { resolve, reject } });
      launcher.channel?.ref();
      this.send(launcher, { op: 'spawn', id, ...spec });
    });
  }

  /**
   * Lets the launcher exit, at shutdown once the runs are stopped. A run still in flight
   * then ends as if the launcher had died.
   */
  close(): void {
    if (this.launcher?.connected) this.launcher.disconnect();
    this.launcher = undefined;
  }

  private forkLauncher(): ChildProcess {
    const launcher = fork(LAUNCHER_PROGRAM, [], {
      // None of Kiln's own flags (heap size, profilers) or environment: each run gets
      // the environment Kiln builds for it.
      execArgv: [],
      env: {},
      serialization: 'advanced', // output chunks travel as bytes
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    launcher.on('message', (event: LauncherEvent) => this.onEvent(event));
    launcher.on('error', (error) => this.logger.warn(`Process launcher: ${error.message}`));
    launcher.once('exit', (code, signal) => this.onLauncherExit(launcher, code, signal));
    // Neither the process nor its channel keeps Kiln alive; a pending launch does.
    launcher.unref();
    launcher.channel?.unref();
    this.launcher = launcher;
    return launcher;
  }

  private onEvent(event: LauncherEvent): void {
    const launch = this.launches.get(event.id);
    if (!launch) return;
    const { child } = launch;
    switch (event.event) {
      case 'spawn':
        child.pid = event.pid;
        child.startTime = startTimeFromStat(event.pid, event.stat) ?? '0';
        launch.started.resolve(child);
        return;
      case 'error':
        this.forget(event.id);
        launch.started.reject(new Error(event.message));
        return;
      case 'output':
        child.output(event.fd, asBuffer(event.data));
        return;
      case 'exit':
        child.exit({ code: event.code, signal: event.signal });
        return;
      case 'close':
        this.forget(event.id);
        child.close();
    }
  }

  private onLauncherExit(
    launcher: ChildProcess,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): void {
    if (this.launcher === launcher) this.launcher = undefined;
    if (this.launches.size === 0) return;
    this.logger.error(
      `Process launcher exited (${signal ?? `code ${code}`}) with ${this.launches.size} runs in flight`,
    );
    for (const [id, launch] of this.launches) {
      this.forget(id);
      if (launch.child.pid) launch.child.orphan();
      else launch.started.reject(new Error(LAUNCHER_DIED));
    }
  }

  private forget(id: number): void {
    this.launches.delete(id);
    if (this.launches.size === 0) this.launcher?.channel?.unref();
  }

  private send(launcher: ChildProcess, message: object): void {
    if (!launcher.connected) return; // it exited: onLauncherExit settles what was in flight
    launcher.send(message, (error: Error | null) => {
      if (error) this.logger.warn(`Process launcher did not take a message: ${error.message}`);
    });
  }
}

/** The channel's deserialiser gives bytes back as a Uint8Array; this is the same memory. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
