// The tables a DataSource is built with. The app collects them from the modules that
// own them (src/schema.ts) and hands them in, so infra never imports a module.
import type { MigrationInterface } from 'typeorm';

export type EntityClass = new (...args: never[]) => object;
export type MigrationClass = new () => MigrationInterface;

export interface DatabaseSchema {
  entities: EntityClass[];
  migrations: MigrationClass[];
}
