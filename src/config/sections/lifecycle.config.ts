import { IsInt, Max, Min } from 'class-validator';
import { Env } from '../env.decorator';

export class LifecycleConfig {
  /** Time from SIGTERM to a forced exit, in ms; in-flight work gets this long to finish. */
  @Env('KILN_SHUTDOWN_GRACE_MS')
  @IsInt()
  @Min(100)
  @Max(600_000)
  shutdownGraceMs: number;

  /**
   * After SIGTERM, how long readiness answers 503 while everything else is still served,
   * before the shutdown (and its grace) begins, in ms. Gives a load balancer that polls
   * readiness time to stop routing here; 0 starts the shutdown at once.
   */
  @Env('KILN_SHUTDOWN_DRAIN_DELAY_MS')
  @IsInt()
  @Min(0)
  @Max(600_000)
  drainDelayMs: number;

  /** Time a readiness check of one dependency may take before it counts as down, in ms. */
  @Env('KILN_HEALTH_CHECK_TIMEOUT_MS')
  @IsInt()
  @Min(50)
  @Max(60_000)
  healthCheckTimeoutMs: number;
}
