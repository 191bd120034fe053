import { IsIn } from 'class-validator';
import { Env } from '../env.decorator';

export const WAKEUPS_DRIVERS = ['auto', 'redis', 'memory'] as const;
export type WakeupsDriverSetting = (typeof WAKEUPS_DRIVERS)[number];

/** How a loop's wake reaches the process that runs it (see docs/architecture.md, rule 3). */
export class WakeupsConfig {
  /** `auto` picks `redis` when Redis is configured and `memory` (this process) otherwise. */
  @Env('KILN_WAKEUPS_DRIVER')
  @IsIn(WAKEUPS_DRIVERS)
  driver: WakeupsDriverSetting;
}
