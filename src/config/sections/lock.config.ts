import { IsIn, IsInt, Matches, Max, Min } from 'class-validator';
import { Env } from '../env.decorator';

export const LOCK_DRIVERS = ['auto', 'redis', 'memory'] as const;
export type LockDriverName = (typeof LOCK_DRIVERS)[number];

export class LockConfig {
  /** `auto` picks `redis` when Redis is configured and `memory` (one process) otherwise. */
  @Env('KILN_LOCK_DRIVER')
  @IsIn(LOCK_DRIVERS)
  driver: LockDriverName;

  /** Redis key of the leader lock, under the Redis key prefix. */
  @Env('KILN_LOCK_KEY')
  @Matches(/^[\w:.-]+$/, { message: 'may only hold letters, digits, _ : . -' })
  key: string;

  /**
   * Lifetime of a leadership lease, in ms; it is renewed every third of it. A standby
   * takes over at most about this long after the leader dies.
   */
  @Env('KILN_LOCK_TTL_MS')
  @IsInt()
  @Min(300)
  @Max(300_000)
  ttlMs: number;
}
