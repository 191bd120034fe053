// Which database Kiln talks to, and the column types that differ between PostgreSQL and
// SQLite, chosen when TypeORM builds a DataSource's metadata rather than when the entity
// file is imported.
//
// Entity decorators run at import time, before the config says which database is in
// use, but TypeORM reads each column's `type` again when a DataSource builds its
// metadata. A getter on the options object defers the choice to that moment, and reads
// the dialect of the DataSource being built from an async context opened around its
// initialization (buildMetadataFor), so one entity class serves both databases with the
// right native types (timestamptz and jsonb on PostgreSQL, datetime and text on SQLite),
// even for two DataSources of different dialects built at once in one process.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import {
  Column,
  ColumnOptions,
  ColumnType,
  CreateDateColumn,
  DataSource,
  Generated,
  UpdateDateColumn,
} from 'typeorm';

export type Dialect = 'postgres' | 'sqlite';

/** Which database this process talks to. Inject it rather than inspecting a DataSource. */
@Injectable()
export class DatabaseDialect {
  constructor(readonly name: Dialect) {}

  /** The dialect of a database URL: the one place the choice is made. */
  static fromUrl(url: string): DatabaseDialect {
    return new DatabaseDialect(url.startsWith('postgres') ? 'postgres' : 'sqlite');
  }

  /**
   * The dialect a DataSource was built for, for code that is handed a DataSource rather
   * than injected: migrations, query helpers.
   */
  static of(dataSource: DataSource): DatabaseDialect {
    return new DatabaseDialect(dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite');
  }

  get isPostgres(): boolean {
    return this.name === 'postgres';
  }
}

const dialectBeingBuilt = new AsyncLocalStorage<Dialect>();

/** Runs `build` (a DataSource's initialization) with the column types of `dialect`. */
export function buildMetadataFor<T>(dialect: DatabaseDialect, build: () => Promise<T>): Promise<T> {
  return dialectBeingBuilt.run(dialect.name, build);
}

export const COLUMN_TYPES: Record<
  'timestamp' | 'json' | 'sequence',
  Record<Dialect, ColumnType>
> = {
  timestamp: { postgres: 'timestamptz', sqlite: 'datetime' },
  json: { postgres: 'jsonb', sqlite: 'simple-json' },
  // SQLite autoincrements only an INTEGER PRIMARY KEY, which is 64-bit there anyway
  sequence: { postgres: 'bigint', sqlite: 'integer' },
};

function withDialectType<T extends object>(kind: keyof typeof COLUMN_TYPES, options: T): T {
  const deferred: T = { ...options };
  Object.defineProperty(deferred, 'type', {
    enumerable: true,
    // Outside a metadata build only the decorator itself reads the type, to see that one
    // is set; any type would do there.
    get: () => COLUMN_TYPES[kind][dialectBeingBuilt.getStore() ?? 'sqlite'],
  });
  return deferred;
}

/** A point in time, stored with its zone on PostgreSQL and as UTC text on SQLite. */
export const TimestampColumn = (options: ColumnOptions = {}): PropertyDecorator =>
  Column(withDialectType('timestamp', options));

export const CreatedAtColumn = (options: ColumnOptions = {}): PropertyDecorator =>
  CreateDateColumn(withDialectType('timestamp', options));

export const UpdatedAtColumn = (options: ColumnOptions = {}): PropertyDecorator =>
  UpdateDateColumn(withDialectType('timestamp', options));

/** A JSON document: jsonb on PostgreSQL, serialized text on SQLite. */
export const JsonColumn = (options: ColumnOptions = {}): PropertyDecorator =>
  Column(withDialectType('json', options));

/**
 * A 64-bit autoincrement key, for tables that grow without bound (events, metric
 * points): bigint on PostgreSQL, where `integer` would run out at 2^31 rows. Built from
 * @Column and @Generated because @PrimaryGeneratedColumn copies its options (and so
 * reads the type) when the entity file is imported. The driver reads bigint as a
 * string; the transformer gives the entity a number, exact up to 2^53.
 */
export const SequenceColumn = (): PropertyDecorator => (target, propertyKey) => {
  Column(
    withDialectType<ColumnOptions>('sequence', {
      primary: true,
      transformer: {
        to: (value: unknown) => value,
        from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
      },
    }),
  )(target, propertyKey);
  Generated('increment')(target, String(propertyKey));
};
