import { IsBoolean, IsIn, IsInt, IsString, Max, Min } from 'class-validator';
import { Env } from '../env.decorator';

/** How local runs are kept apart from Kiln and from each other (docs/architecture.md). */
export const RUN_ISOLATION_MODES = ['auto', 'sandbox', 'none'] as const;
export type RunIsolationMode = (typeof RUN_ISOLATION_MODES)[number];

/** The local runtime: training runs as child processes of this Kiln process. */
export class LocalRuntimeConfig {
  /** Where each attempt gets its run directory; empty means `<dataDir>/runs`. */
  @Env('KILN_LOCAL_RUNS_DIR')
  @IsString()
  runsDir: string;

  /** GPUs on this machine, handed out to runs through CUDA_VISIBLE_DEVICES. */
  @Env('KILN_LOCAL_GPU_COUNT')
  @IsInt()
  @Min(0)
  @Max(64)
  gpuCount: number;

  /** Time between SIGTERM and SIGKILL when a run is stopped, in ms. */
  @Env('KILN_LOCAL_STOP_GRACE_MS')
  @IsInt()
  @Min(0)
  @Max(600000)
  stopGraceMs: number;

  /** Longest output line kept in a run's log; the rest of a longer line is dropped. */
  @Env('KILN_LOCAL_MAX_LOG_LINE_LENGTH')
  @IsInt()
  @Min(80)
  @Max(1048576)
  maxLogLineLength: number;

  /**
   * How long a service replica taken out of the endpoints (a rollout replaced it, the
   * service scaled down) keeps serving requests already sent to it before it is stopped.
   */
  @Env('KILN_LOCAL_SERVICE_DRAIN_MS')
  @IsInt()
  @Min(0)
  @Max(600000)
  serviceDrainMs: number;

  /**
   * Whether service replicas keep running when Kiln shuts down, to be adopted by the
   * next Kiln on this host (a restart or an upgrade costs no downtime). Off: they stop
   * with Kiln, like runs.
   */
  @Env('KILN_LOCAL_KEEP_SERVICES_ON_SHUTDOWN')
  @IsBoolean()
  keepServicesOnShutdown: boolean;

  /**
   * After a run's main process exits, how long its output may stay open (held by a
   * process that left the run's process group) before Kiln stops reading it and records
   * how the run ended, in ms.
   */
  @Env('KILN_LOCAL_OUTPUT_DRAIN_MS')
  @IsInt()
  @Min(0)
  @Max(600000)
  outputDrainMs: number;

  /**
   * `sandbox` runs every local run in a bubblewrap sandbox (its own user, PID, mount and
   * IPC namespaces, only its run directory writable), as `runUid` when Kiln is root;
   * boot fails if the sandbox does not work. `auto` uses it when it works and otherwise
   * falls back to `none`, which runs commands with Kiln's own privileges: then local
   * queues take submits from admins only unless a queue's `allowedRoles` says otherwise.
   */
  @Env('KILN_LOCAL_ISOLATION')
  @IsIn(RUN_ISOLATION_MODES)
  isolation: RunIsolationMode;

  /** The bubblewrap binary. */
  @Env('KILN_LOCAL_SANDBOX_BINARY')
  @IsString()
  sandboxBinary: string;

  /** The OS user and group runs get when Kiln runs as root (65534 is `nobody`). */
  @Env('KILN_LOCAL_RUN_UID')
  @IsInt()
  @Min(1)
  @Max(4294967294)
  runUid: number;

  @Env('KILN_LOCAL_RUN_GID')
  @IsInt()
  @Min(1)
  @Max(4294967294)
  runGid: number;

  /**
   * Host paths a sandboxed run may read besides the system directories (/usr, /etc,
   * /opt…): shared data sets, code checkouts. Relative paths are resolved from Kiln's
   * working directory; paths that do not exist are skipped.
   */
  @Env('KILN_LOCAL_READ_ONLY_PATHS')
  @IsString({ each: true })
  readOnlyPaths: string[];

  /** Whether sandboxed runs keep the host's network (to fetch data, report over REST). */
  @Env('KILN_LOCAL_RUN_NETWORK')
  @IsBoolean()
  runNetwork: boolean;
}
