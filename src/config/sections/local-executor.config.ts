import { IsInt, IsString, Max, Min } from 'class-validator';
import { Env } from '../env.decorator';

/** The local executor: training runs as child processes of this Kiln process. */
export class LocalExecutorConfig {
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
}
