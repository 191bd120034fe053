import { DataSource, Entity, PrimaryColumn } from 'typeorm';
import { buildMetadataFor, DatabaseDialect, JsonColumn, TimestampColumn } from './dialect';

@Entity('dialect_probe')
class Probe {
  @PrimaryColumn('varchar')
  id!: string;

  @TimestampColumn()
  at!: Date;

  @JsonColumn()
  document!: Record<string, unknown>;
}

/** A DataSource that builds its metadata without connecting. */
class UnconnectedDataSource extends DataSource {
  buildMetadataOnly(): Promise<void> {
    return this.buildMetadatas();
  }
}

/** The native types a DataSource built for `dialect` gives Probe's columns. */
async function columnTypesFor(dialect: DatabaseDialect): Promise<Record<string, unknown>> {
  const dataSource = new UnconnectedDataSource(
    dialect.isPostgres
      ? { type: 'postgres', entities: [Probe] }
      : { type: 'better-sqlite3', database: ':memory:', entities: [Probe] },
  );
  await buildMetadataFor(dialect, async () => {
    // Yield first, so the two builds below interleave.
    await new Promise((resolve) => setImmediate(resolve));
    await dataSource.buildMetadataOnly();
  });
  const metadata = dataSource.getMetadata(Probe);
  return Object.fromEntries(metadata.columns.map((column) => [column.propertyName, column.type]));
}

describe('DatabaseDialect', () => {
  it('tells PostgreSQL from SQLite by the database URL', () => {
    expect(DatabaseDialect.fromUrl('postgres://db/kiln').isPostgres).toBe(true);
    expect(DatabaseDialect.fromUrl('postgresql://db/kiln').isPostgres).toBe(true);
    expect(DatabaseDialect.fromUrl('sqlite:./data/kiln.sqlite').name).toBe('sqlite');
  });

  it('gives each DataSource the native column types of its own database, even when built at once', async () => {
    const [postgres, sqlite] = await Promise.all([
      columnTypesFor(new DatabaseDialect('postgres')),
      columnTypesFor(new DatabaseDialect('sqlite')),
    ]);

    expect(postgres).toEqual({ id: 'varchar', at: 'timestamptz', document: 'jsonb' });
    expect(sqlite).toEqual({ id: 'varchar', at: 'datetime', document: 'simple-json' });
  });
});
