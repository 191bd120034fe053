// Turns the database config into TypeORM options and a connected DataSource, retrying
// the connection with backoff so Kiln can start before its database does.
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { DataSource, DataSourceOptions } from 'typeorm';
import { retry } from '../../common/retry/retry';
import { KilnConfig } from '../../config/kiln.config';
import { DatabaseSchema } from './database-schema';
import { buildMetadataFor, DatabaseDialect } from './dialect';
import { migrateExclusively } from './migrate-exclusively';
import { resilientPg } from './pg-driver';

const logger = new Logger('Database');

export function dialectOf(config: KilnConfig): DatabaseDialect {
  return DatabaseDialect.fromUrl(config.database.url);
}

/** The SQLite file: from a `sqlite:` URL, or `kiln.sqlite` in the data directory. */
export function sqlitePath(config: KilnConfig): string {
  const url = config.database.url;
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\//, '') : '';
  if (path === ':memory:') return path;
  const file = path || resolve(config.dataDir, 'kiln.sqlite');
  return isAbsolute(file) ? file : resolve(process.cwd(), file);
}

export function buildDataSourceOptions(
  config: KilnConfig,
  schema: DatabaseSchema,
): DataSourceOptions {
  const common = {
    entities: schema.entities,
    migrations: schema.migrations,
    // connectDataSource runs them itself, under a lock (see migrate-exclusively.ts)
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
  };
  if (dialectOf(config).isPostgres) {
    return {
      ...common,
      type: 'postgres',
      driver: resilientPg,
      url: config.database.url,
      poolSize: config.database.poolSize,
      connectTimeoutMS: 5_000,
      applicationName: 'kiln',
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: sqlitePath(config),
    enableWAL: true,
    // Writers from the API, the dispatcher and workers share one file; wait for the
    // lock instead of failing at once with SQLITE_BUSY.
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
    },
  };
}

/**
 * Connects, retrying transient failures with backoff, then applies pending migrations
 * when `migrate` (by default `database.migrateOnBoot`) says so.
 */
export async function connectDataSource(
  config: KilnConfig,
  options: DataSourceOptions,
  migrate = config.database.migrateOnBoot,
): Promise<DataSource> {
  const dialect = dialectOf(config);
  if (!dialect.isPostgres && options.database !== ':memory:') {
    mkdirSync(dirname(String(options.database)), { recursive: true });
  }
  let dataSource: DataSource;
  try {
    dataSource = await retry(() => initialize(options, dialect), {
      attempts: config.database.connectAttempts,
      baseDelayMs: config.database.connectBackoffMs,
      onRetry: ({ attempt, delayMs, error }) =>
        logger.warn(
          `Database at ${describeTarget(config)} not reachable (attempt ${attempt}/${config.database.connectAttempts}), retrying in ${delayMs} ms: ${messageOf(error)}`,
        ),
    });
  } catch (error) {
    throw new Error(
      `Could not connect to the database at ${describeTarget(config)}: ${messageOf(error)}`,
      { cause: error },
    );
  }
  if (migrate) {
    try {
      await migrateExclusively(dataSource);
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
  }
  return dataSource;
}

async function initialize(
  options: DataSourceOptions,
  dialect: DatabaseDialect,
): Promise<DataSource> {
  const dataSource = new DataSource(options);
  try {
    return await buildMetadataFor(dialect, () => dataSource.initialize());
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    throw error;
  }
}

/** Where the database is, without credentials, for messages. */
export function describeTarget(config: KilnConfig): string {
  if (!dialectOf(config).isPostgres) return `sqlite:${sqlitePath(config)}`;
  try {
    const url = new URL(config.database.url);
    return `postgres://${url.host}${url.pathname}`;
  } catch {
    return 'postgres (unparseable URL)';
  }
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  return error instanceof Error ? error.message || error.constructor.name : String(error);
}
