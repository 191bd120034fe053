// The whole configuration as one typed, validated object (see config/default.yaml).
import { IsIn, IsString, MinLength } from 'class-validator';
import { Env, Section } from './env.decorator';
import { AuthConfig } from './sections/auth.config';
import { DatabaseConfig } from './sections/database.config';
import { RuntimesConfig } from './sections/runtimes.config';
import { HttpConfig } from './sections/http.config';
import { JobsConfig } from './sections/jobs.config';
import { LifecycleConfig } from './sections/lifecycle.config';
import { LockConfig } from './sections/lock.config';
import { LogConfig } from './sections/log.config';
import { ProcessConfig } from './sections/process.config';
import { RedisConfig } from './sections/redis.config';
import { RetentionConfig } from './sections/retention.config';
import { TasksConfig } from './sections/tasks.config';
import { WakeupsConfig } from './sections/wakeups.config';
import { WebhooksConfig } from './sections/webhooks.config';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export class KilnConfig {
  /**
   * Files besides config/ that settings were read from (KILN_CONFIG_FILE, .env), which
   * may hold secrets. Set by the loader after validation; not a setting.
   */
  declare sourceFiles: string[];

  /**
   * One line per renamed setting still set under its old name, naming old and new; set
   * by the loader and logged once at boot. Not a setting.
   */
  declare deprecations: string[];

  /** Selects config/<env>.yaml on top of default.yaml. */
  @Env('NODE_ENV')
  @IsIn(NODE_ENVS)
  env: NodeEnv;

  /** Directory for the SQLite file, run directories and logs. */
  @Env('KILN_DATA_DIR')
  @IsString()
  @MinLength(1)
  dataDir: string;

  @Section(() => HttpConfig)
  http: HttpConfig;

  @Section(() => DatabaseConfig)
  database: DatabaseConfig;

  @Section(() => RedisConfig)
  redis: RedisConfig;

  @Section(() => JobsConfig)
  jobs: JobsConfig;

  @Section(() => WakeupsConfig)
  wakeups: WakeupsConfig;

  @Section(() => LogConfig)
  log: LogConfig;

  @Section(() => LifecycleConfig)
  lifecycle: LifecycleConfig;

  @Section(() => LockConfig)
  lock: LockConfig;

  @Section(() => ProcessConfig)
  process: ProcessConfig;

  @Section(() => AuthConfig)
  auth: AuthConfig;

  @Section(() => RuntimesConfig)
  runtimes: RuntimesConfig;

  @Section(() => TasksConfig)
  tasks: TasksConfig;

  @Section(() => RetentionConfig)
  retention: RetentionConfig;
  @Section(() => WebhooksConfig)
  webhooks: WebhooksConfig;
}
