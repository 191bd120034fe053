import { IsIn } from 'class-validator';
import { Env } from '../env.decorator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class LogConfig {
  /** Lowest level written. */
  @Env('KILN_LOG_LEVEL')
  @IsIn(LOG_LEVELS)
  level: LogLevel;

  /** `json` (one object per line, for log collectors) or `pretty` (for people). */
  @Env('KILN_LOG_FORMAT')
  @IsIn(['json', 'pretty'])
  format: 'json' | 'pretty';
}
