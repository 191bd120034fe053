// The BatchRuntime port: how Kiln runs one attempt of a training task, a run that ends,
// somewhere (a local process, a Kubernetes Job) without the tasks module knowing where.
// Long-running replicated workloads have their own port (service-runtime.port.ts).
import type { FieldProblem } from '../../common/errors/domain-error';

/** Everything a batch runtime needs to start one attempt. Built by the tasks module. */
export interface RunSpec {
  taskId: string;
  attempt: number;
  queue: string;
  /** argv; run without a shell unless `shell` is true (then `command` is one string). */
  command: string[];
  shell?: boolean;
  /** Container image, for runtimes that run containers. */
  image?: string;
  /** Working directory inside the run (relative to the run directory for local runs). */
  workingDir?: string;
  /** Environment of the run, KILN_* variables already included by the caller. */
  env: Record<string, string>;
  hyperparameters: Record<string, unknown>;
  resources: RunResources;
  /** Hard limit on the run's duration, enforced by the runtime where it can. */
  timeoutSeconds?: number;
}

/**
 * What a task asks of a runtime, known at submit before any attempt exists: enough to
 * tell whether the runtime could ever run it.
 */
export type RunRequest = Pick<
  RunSpec,
  'queue' | 'command' | 'shell' | 'image' | 'workingDir' | 'resources'
>;

/** Names an attempt's run without its handle. */
export type RunLocator = Pick<RunSpec, 'taskId' | 'attempt' | 'queue'>;

export interface RunResources {
  cpu: number;
  memoryMiB: number;
  gpu: number;
}

/** Identifies a launched run; stored on the attempt row, so it must be plain JSON. */
export interface RunHandle {
  /**
   * The name of the runtime that launched the run. Called `executor` because handles are
   * stored on attempt rows and shown by the API under that name.
   */
  executor: string;
  /** Runtime-specific id: a pid and start time, a namespace/job name. */
  id: string;
  /** Where the run writes its outputs (KILN_OUTPUT_DIR), when the runtime can serve them. */
  outputDir?: string;
  /** Where the run's combined stdout/stderr is kept, when the runtime keeps a file. */
  logPath?: string;
}

export type RunStatus =
  | { state: 'pending'; reason?: string }
  | { state: 'running' }
  | { state: 'succeeded'; exitCode: 0 }
  | { state: 'failed'; exitCode?: number; reason: string; retryable?: boolean }
  | { state: 'timed_out'; reason: string }
  /** The runtime no longer knows the run (process gone, pod evicted): Kiln decides. */
  | { state: 'lost'; reason: string };

/** Why Kiln stops a run, which decides how the run's end is reported. */
export interface StopOptions {
  /**
   * The run passed its timeout: its end is reported `timed_out`, not as the failure its
   * exit code alone would suggest, whichever process settles it first.
   */
  timedOut?: boolean;
}

export interface LogOptions {
  /** Keep the stream open and yield new lines until the run ends. */
  follow?: boolean;
  /** Skip this many lines from the start. */
  sinceLine?: number;
  signal?: AbortSignal;
}

export interface BatchRuntime {
  /** The name queues refer to in config (`local`, `kubernetes`). */
  readonly name: string;
  /**
   * Whether a run is kept from Kiln's secrets and from other runs (its own pod, a
   * sandbox). Where it is not, only admins may submit unless a queue says otherwise.
   */
  readonly isolatesRuns: boolean;
  /**
   * What in the request this runtime could never run, one problem per field (`image`
   * missing for a container runtime); empty when it can run it. Asked at submit, so a
   * task that could never start is refused then instead of failing at launch.
   */
  validate(request: RunRequest): FieldProblem[];
  /** Starts the attempt; calling it again for the same task and attempt starts nothing new. */
  launch(spec: RunSpec): Promise<RunHandle>;
  inspect(handle: RunHandle): Promise<RunStatus>;
  /** Asks the run to stop, and forces it after `graceMs`. Stopping a finished run is a no-op. */
  stop(handle: RunHandle, graceMs: number, options?: StopOptions): Promise<void>;
  /** The run's output lines, oldest first. */
  logs(handle: RunHandle, options?: LogOptions): AsyncIterable<string>;
  /** Removes what the run left behind (logs, outputs) when its task is deleted. */
  discard?(handle: RunHandle): Promise<void>;
  /**
   * The handle of the run this runtime started for the attempt, if it started one. A
   * launch interrupted after the start but before the handle was recorded (the worker
   * died) leaves a run Kiln knows nothing of; this lets Kiln adopt it instead of waiting
   * out the launch grace and retrying beside it.
   */
  find?(run: RunLocator): Promise<RunHandle | undefined>;
}

/** Injection token of the batch runtimes by name (a ReadonlyMap<string, BatchRuntime>). */
export const BATCH_RUNTIMES = Symbol('BATCH_RUNTIMES');
