// Column types and defaults for hand-written migrations that run on both PostgreSQL
// and SQLite. Migrations use TypeORM's Table API with these, so one migration file
// serves both databases; test/integration/schema.int-spec.ts proves that the result
// matches the entities on each.
import type { QueryRunner } from 'typeorm';
import { DatabaseDialect, type Dialect } from './dialect';

function dialectOfRunner(queryRunner: QueryRunner): Dialect {
  return DatabaseDialect.of(queryRunner.connection).name;
}

const TYPES: Record<'timestamp' | 'json' | 'uuid' | 'sequence', Record<Dialect, string>> = {
  timestamp: { postgres: 'timestamptz', sqlite: 'datetime' },
  json: { postgres: 'jsonb', sqlite: 'text' },
  uuid: { postgres: 'uuid', sqlite: 'varchar' },
  sequence: { postgres: 'bigint', sqlite: 'integer' },
};

/** The native type of a portable column kind on this runner's database. */
export function typeFor(queryRunner: QueryRunner, kind: keyof typeof TYPES): string {
  return TYPES[kind][dialectOfRunner(queryRunner)];
}

/** The default TypeORM gives @CreateDateColumn / @UpdateDateColumn on this database. */
export function nowDefault(queryRunner: QueryRunner): string {
  return dialectOfRunner(queryRunner) === 'postgres' ? 'now()' : "datetime('now')";
}

/** A boolean column's default as each database writes it back, so entities match the tables. */
export function booleanDefault(queryRunner: QueryRunner, value: boolean): string {
  if (dialectOfRunner(queryRunner) === 'postgres') return String(value);
  return value ? '1' : '0';
}
