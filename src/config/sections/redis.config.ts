import { IsInt, IsString, Matches, Min } from 'class-validator';
import { Env } from '../env.decorator';

export class RedisConfig {
  /** `redis://[:password@]host:6379[/db]`; empty runs without Redis (embedded mode). */
  @Env('KILN_REDIS_URL')
  @Matches(/^$|^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  url: string;

  /** Prefix for every Redis key Kiln writes, so several installations can share a server. */
  @Env('KILN_REDIS_KEY_PREFIX')
  @IsString()
  @Matches(/^[\w:.-]*$/, { message: 'may only hold letters, digits, _ : . -' })
  keyPrefix: string;

  /** Time allowed to open a connection before the attempt counts as failed, in ms. */
  @Env('KILN_REDIS_CONNECT_TIMEOUT_MS')
  @IsInt()
  @Min(100)
  connectTimeoutMs: number;
}
