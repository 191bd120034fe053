// One replica of a local service: a supervised process listening on its own loopback
// port. It is health-checked over HTTP, restarted with a growing delay when it exits or
// stops answering, and drained (taken out of the endpoints) before it is stopped, so
// requests already sent to it can finish. Its output goes straight to its log file and
// its identity to replica.json, so it can outlive this Kiln process and be adopted by the
// next one: an adopted replica is not a child, so its exit is seen by polling /proc.
import type { ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { createWriteStream, WriteStream } from 'node:fs';
import { Logger } from '@nestjs/common';
import { messageOf } from '../../../../common/errors/message-of';
import { waitUntil } from '../../../../common/wait-until';
import type { ReplicaState, ReplicaStatus } from '../../service-runtime.port';
import { RunProcess, spawnDetachedToFile } from '../process/detached-process';
import type { GrowingLog } from '../process/log-reader';
import {
  isRunning,
  leadsProcessGroup,
  ProcessIdentity,
  groupExists,
  readChildStartTime,
  sandboxSettled,
  signalGroup,
  signalRun,
} from '../process/process-identity';
import { writeReplicaRecord } from './replica-record';
import { RestartBackoff } from './restart-backoff';

export interface LocalReplicaOptions {
  name: string;
  revision: number;
  port: number;
  /** Polled for 2xx; without a path, an accepted connection counts as healthy. */
  healthPath?: string;
  logPath: string;
  /** The replica's directory, where its record (replica.json) is kept. */
  dir: string;
  /** The process to spawn, made afresh for every start. */
  process: () => Promise<RunProcess>;
  /** Told whenever the replica's state changes, so its service converges again. */
  onChange: () => void;
}

/** Failed checks in a row after which a ready replica counts as unhealthy and is restarted. */
const FAILED_CHECKS_TO_RESTART = 3;
const HEALTH_CHECK_TIMEOUT_MS = 2000;
/** How often a replica being stopped is looked for in /proc. */
const ADOPTED_EXIT_POLL_MS = 50;
/** How long a replica's processes may take to vanish after SIGKILL. */
const ADOPTED_KILL_WAIT_MS = 5000;

const logger = new Logger('LocalServiceRuntime');

export class LocalReplica implements GrowingLog {
  private state: ReplicaState = 'starting';
  private reason?: string;
  private restarts = 0;
  private startedAt?: Date;
  private child?: ChildProcess;
  /** Whether `child` is the sandbox around the replica's command. */
  private sandboxed = false;
  /** The process of a replica an earlier Kiln started: not a child, watched in /proc. */
  private adopted?: ProcessIdentity;
  private exited?: Promise<unknown>;
  private failedChecks = 0;
  private restartTimer?: NodeJS.Timeout;
  private readonly backoff = new RestartBackoff();
  private readonly log: WriteStream;
  private readonly events = new EventEmitter().setMaxListeners(0);
  private version = 0;
  private stopped = false;

  constructor(private readonly options: LocalReplicaOptions) {
    this.log = createWriteStream(options.logPath, { flags: 'a' });
  }

  get name(): string {
    return this.options.name;
  }

  get revision(): number {
    return this.options.revision;
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get isReady(): boolean {
    return this.state === 'ready';
  }

  get isStopping(): boolean {
    return this.stopped;
  }

  status(): ReplicaStatus {
    return {
      name: this.name,
      revision: this.revision,
      state: this.state,
      restarts: this.restarts,
      reason: this.reason,
      startedAt: this.startedAt,
    };
  }

  /** Takes over a live replica process an earlier Kiln started (see replica-record.ts). */
  adopt(identity: ProcessIdentity, startedAt: Date): void {
    this.adopted = identity;
    this.startedAt = startedAt;
    this.write(`kiln: replica adopted (pid ${identity.pid}) by a new Kiln process`);
    // Not told as a change: the service adopts all its replicas before it converges.
    this.state = 'starting';
    this.reason = undefined;
  }

  /** Starts the process; a failure to start counts as a crash and is retried. */
  async start(): Promise<void> {
    if (this.stopped) return;
    let spec: RunProcess;
    try {
      spec = await this.options.process();
    } catch (error) {
      this.crashed(`could not start: ${messageOf(error)}`, 0);
      return;
    }
    if (this.stopped) return;
    const child = spawnDetachedToFile(spec, this.options.logPath);
    this.sandboxed = spec.sandboxed === true;
    const startedAt = Date.now();
    this.child = child;
    this.startedAt = new Date(startedAt);
    if (child.pid !== undefined) this.record(child.pid, this.startedAt);
    this.setState('starting', undefined);
    this.exited = new Promise<void>((resolve) => {
      child.once('error', (error) => {
        // spawn failures emit no exit event
        if (child.pid === undefined) {
          this.child = undefined;
          this.crashed(`could not start: ${error.message}`, 0);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        this.child = undefined;
        const outcome = code !== null ? `exit code ${code}` : `signal ${signal}`;
        if (!this.stopped) this.crashed(`exited with ${outcome}`, Date.now() - startedAt);
        resolve();
      });
    });
  }

  /** One health check; a ready replica that fails enough of them in a row is restarted. */
  async check(): Promise<void> {
    if (this.adopted && !this.stopped && !(await isRunning(this.adopted))) {
      this.adopted = undefined;
      const upMs = Date.now() - (this.startedAt?.getTime() ?? Date.now());
      if (!this.stopped) this.crashed('exited (adopted: its exit code is unknown)', upMs);
      return;
    }
    if (this.stopped || !this.pid || this.state === 'unhealthy') return;
    const problem = await this.probe();
    if (this.stopped || !this.pid) return;
    if (!problem) {
      this.failedChecks = 0;
      if (this.state !== 'ready') this.setState('ready', undefined);
      return;
    }
    if (this.state !== 'ready') return; // still starting: no answer yet is expected
    if (++this.failedChecks < FAILED_CHECKS_TO_RESTART) return;
    this.setState('unhealthy', `health check failed ${this.failedChecks} times: ${problem}`);
    logger.warn(`Replica ${this.name} stopped answering its health check; restarting it`);
    signalRun(this.pid, 'SIGKILL');
  }

  /**
   * Lets go of the replica without stopping it, for the next Kiln to adopt: this
   * process is shutting down and the replica keeps serving meanwhile.
   */
  detach(): void {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    this.child?.unref();
    this.log.end();
  }

  /**
   * Takes the replica out of the endpoints at once, waits `drainMs` for requests sent to
   * it to finish, then stops its process (SIGTERM, SIGKILL after `graceMs`).
   */
  async stop(graceMs: number, drainMs: number): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.restartTimer);
    this.setState('stopping', undefined);
    if (drainMs > 0 && this.child) await new Promise((resolve) => setTimeout(resolve, drainMs));
    const child = this.child;
    if (child?.pid) {
      const pid = child.pid;
      const stopping = Date.now();
      if (this.sandboxed) await sandboxSettled(pid);
      signalRun(pid, 'SIGTERM');
      const kill = setTimeout(() => signalRun(pid, 'SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(kill);
      await this.groupEnded(pid, Math.max(0, graceMs - (Date.now() - stopping)));
    } else if (this.adopted) {
      await this.stopAdopted(this.adopted, graceMs);
    }
    this.log.end();
    await once(this.log, 'close').catch(() => undefined);
    this.bump();
  }

  get logVersion(): number {
    return this.version;
  }

  get logComplete(): boolean {
    return this.stopped && !this.child && !this.adopted;
  }

  async nextLogChange(signal?: AbortSignal): Promise<void> {
    try {
      await once(this.events, 'change', { signal });
    } catch {
      // aborted: the reader checks its signal and stops
    }
  }

  private get pid(): number | undefined {
    return this.child?.pid ?? this.adopted?.pid;
  }

  /**
   * Waits for the processes the replica started in its group (a shell's children, a
   * server's workers) to go too, SIGKILLing them after `graceMs`: the replica counts as
   * stopped, and its service as stopped, only once no process of it is left.
   */
  private async groupEnded(pid: number, graceMs: number): Promise<void> {
    const gone = () => !groupExists(pid);
    const options = { timeoutMs: graceMs, intervalMs: ADOPTED_EXIT_POLL_MS };
    if ((await waitUntil(gone, options)).satisfied) return;
    signalGroup(pid, 'SIGKILL');
    await waitUntil(gone, { timeoutMs: ADOPTED_KILL_WAIT_MS, intervalMs: ADOPTED_EXIT_POLL_MS });
  }

  /** SIGTERM, SIGKILL after `graceMs`; its exit is seen in /proc, not as a child's. */
  private async stopAdopted(identity: ProcessIdentity, graceMs: number): Promise<void> {
    const gone = async () => !(await isRunning(identity));
    // A pid that names another process by now (the replica died meanwhile) is left alone.
    if (await leadsProcessGroup(identity)) signalRun(identity.pid, 'SIGTERM');
    const options = { timeoutMs: graceMs, intervalMs: ADOPTED_EXIT_POLL_MS };
    if (!(await waitUntil(gone, options)).satisfied && (await leadsProcessGroup(identity))) {
      signalRun(identity.pid, 'SIGKILL');
      await waitUntil(gone, { timeoutMs: ADOPTED_KILL_WAIT_MS, intervalMs: ADOPTED_EXIT_POLL_MS });
    }
    this.adopted = undefined;
  }

  /** Read at once: a command that exits at once is gone from /proc a turn later. */
  private record(pid: number, startedAt: Date): void {
    const { name, revision, port, dir } = this.options;
    const startTime = readChildStartTime(pid);
    void writeReplicaRecord(dir, {
      name,
      revision,
      port,
      pid,
      startTime,
      startedAt: startedAt.toISOString(),
    }).catch((error: unknown) =>
      logger.warn(`Replica ${name}: could not write its record: ${messageOf(error)}`),
    );
  }

  private async probe(): Promise<string | undefined> {
    const path = this.options.healthPath ?? '/';
    try {
      const response = await fetch(`${this.url}${path}`, {
        signal: AbortSignal.timeout(HEALTH_CHECK_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (!this.options.healthPath) return undefined; // any answer means the port is open
      return response.ok ? undefined : `GET ${path} answered ${response.status}`;
    } catch (error) {
      return `GET ${path}: ${messageOf(error)}`;
    }
  }

  private crashed(what: string, upMs: number): void {
    this.restarts++;
    const delay = this.backoff.next(upMs);
    this.write(`kiln: replica ${what}; restarting in ${delay} ms`);
    this.setState('unhealthy', `${what}; restarting in ${Math.ceil(delay / 1000)}s (back-off)`);
    this.restartTimer = setTimeout(() => void this.start(), delay);
    this.restartTimer.unref();
  }

  private setState(state: ReplicaState, reason: string | undefined): void {
    this.state = state;
    this.reason = reason;
    this.options.onChange();
  }

  private write(line: string): void {
    if (this.log.writable) this.log.write(`${line}\n`);
    this.bump();
  }

  private bump(): void {
    this.version++;
    this.events.emit('change');
  }
}
