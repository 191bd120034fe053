import { IsIn, IsInt, Max, Min } from 'class-validator';
import { Env } from '../env.decorator';

export const JOBS_DRIVERS = ['auto', 'bullmq', 'memory'] as const;
export type JobsDriverSetting = (typeof JOBS_DRIVERS)[number];

/** The job queue that carries work orders between processes (BullMQ or in-process). */
export class JobsConfig {
  /** `auto` picks `bullmq` when Redis is configured and `memory` otherwise. */
  @Env('KILN_JOBS_DRIVER')
  @IsIn(JOBS_DRIVERS)
  driver: JobsDriverSetting;

  /** Completed jobs are kept this long (and their ids keep de-duplicating), in seconds. */
  @Env('KILN_JOBS_COMPLETED_MAX_AGE_SECONDS')
  @IsInt()
  @Min(0)
  completedMaxAgeSeconds: number;

  /** At most this many completed jobs are kept per queue. */
  @Env('KILN_JOBS_COMPLETED_MAX_COUNT')
  @IsInt()
  @Min(0)
  completedMaxCount: number;

  /** Failed jobs are kept this long, in seconds. */
  @Env('KILN_JOBS_FAILED_MAX_AGE_SECONDS')
  @IsInt()
  @Min(0)
  failedMaxAgeSeconds: number;

  /** At most this many failed jobs are kept per queue. */
  @Env('KILN_JOBS_FAILED_MAX_COUNT')
  @IsInt()
  @Min(0)
  failedMaxCount: number;

  /**
   * How often workers look for jobs whose worker died, in ms; a job lock also lasts this
   * long, so a killed worker's job comes back within about two intervals.
   */
  @Env('KILN_JOBS_STALLED_INTERVAL_MS')
  @IsInt()
  @Min(100)
  @Max(600_000)
  stalledIntervalMs: number;

  /** Times a job may stall (its worker died) before it fails instead of coming back. */
  @Env('KILN_JOBS_MAX_STALLED_COUNT')
  @IsInt()
  @Min(0)
  @Max(100)
  maxStalledCount: number;
}
