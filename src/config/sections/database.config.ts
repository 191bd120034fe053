import { IsBoolean, IsInt, Matches, Max, Min } from 'class-validator';
import { Env } from '../env.decorator';

export class DatabaseConfig {
  /**
   * `postgres://user:pass@host:5432/db`, `sqlite:/path/to/file.sqlite`, or empty for
   * a SQLite file under the data directory.
   */
  @Env('KILN_DATABASE_URL')
  @Matches(/^$|^postgres(ql)?:\/\/.+|^sqlite:.+/, {
    message: 'must be a postgres:// or sqlite: URL',
  })
  url: string;

  /** Run pending migrations at boot. Turn off to run them with `npm run migration:run`. */
  @Env('KILN_DATABASE_MIGRATE_ON_BOOT')
  @IsBoolean()
  migrateOnBoot: boolean;

  /** Connection attempts at boot before Kiln gives up. */
  @Env('KILN_DATABASE_CONNECT_ATTEMPTS')
  @IsInt()
  @Min(1)
  @Max(100)
  connectAttempts: number;

  /** First wait between connection attempts, in ms; it doubles with jitter up to 30 s. */
  @Env('KILN_DATABASE_CONNECT_BACKOFF_MS')
  @IsInt()
  @Min(10)
  connectBackoffMs: number;

  /** Connections in the PostgreSQL pool per process. */
  @Env('KILN_DATABASE_POOL_SIZE')
  @IsInt()
  @Min(1)
  @Max(200)
  poolSize: number;
}
