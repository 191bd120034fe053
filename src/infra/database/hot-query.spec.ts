import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { buildMetadataFor, DatabaseDialect, JsonColumn, TimestampColumn } from './dialect';
import { compileRowMapper } from './hot-query';

@Entity('row_probe')
class RowProbe {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar')
  name!: string;

  @Column('text', { nullable: true })
  note!: string | null;

  @Column('integer')
  count!: number;

  @Column('boolean')
  enabled!: boolean;

  @JsonColumn()
  document!: Record<string, unknown>;

  @TimestampColumn({ nullable: true })
  at!: Date | null;

  @Column('simple-array')
  roles!: string[];

  @Column('integer', {
    transformer: { to: (value: number) => value, from: (value: number) => value * 2 },
  })
  doubled!: number;
}

/** A DataSource that builds its metadata without connecting. */
class UnconnectedDataSource extends DataSource {
  buildMetadataOnly(): Promise<void> {
    return this.buildMetadatas();
  }
}

async function postgresDataSource(): Promise<DataSource> {
  const dataSource = new UnconnectedDataSource({ type: 'postgres', entities: [RowProbe] });
  await buildMetadataFor(new DatabaseDialect('postgres'), () => dataSource.buildMetadataOnly());
  return dataSource;
}

/** A row as node-postgres returns it for `SELECT ... FROM row_probe r`. */
function rawRow(): Record<string, unknown> {
  return {
    r_id: '5b0d7a4e-7c1f-4c52-9a57-0f6f3f0f2a11',
    r_name: 'probe',
    r_note: null,
    r_count: 7,
    r_enabled: true,
    r_document: { learningRate: 0.01, layers: [64, 64] },
    r_at: new Date('2026-11-30T12:00:00.000Z'),
    r_roles: 'admin,member',
    r_doubled: 21,
  };
}

describe('compileRowMapper on PostgreSQL', () => {
  it("gives the entity TypeORM's own conversions give, column by column", async () => {
    const dataSource = await postgresDataSource();
    const metadata = dataSource.getMetadata(RowProbe);
    const row = rawRow();
    const byTypeOrm = Object.fromEntries(
      metadata.columns.map((column) => [
        column.propertyName,
        dataSource.driver.prepareHydratedValue(row[`r_${column.databaseName}`], column),
      ]),
    );

    const entity = compileRowMapper<RowProbe>(dataSource, metadata, 'r')(row);

    expect(entity).toEqual(byTypeOrm);
  });

  it('still converts the columns node-postgres does not give in final form', async () => {
    const dataSource = await postgresDataSource();

    const entity = compileRowMapper<RowProbe>(
      dataSource,
      dataSource.getMetadata(RowProbe),
      'r',
    )(rawRow());

    expect(entity.roles).toEqual(['admin', 'member']);
    expect(entity.doubled).toBe(42);
    expect(entity.at).toEqual(new Date('2026-11-30T12:00:00.000Z'));
  });
});

describe('compileRowMapper on rows read as arrays', () => {
  it('gives the same entity reading each column by its position', async () => {
    const dataSource = await postgresDataSource();
    const metadata = dataSource.getMetadata(RowProbe);
    const row = rawRow();
    // positions in another order than the entity's columns, as a query may select them
    const names = Object.keys(row).reverse();
    const positions = new Map(names.map((name, index) => [name, index]));

    const byName = compileRowMapper<RowProbe>(dataSource, metadata, 'r')(row);
    const byPosition = compileRowMapper<RowProbe>(
      dataSource,
      metadata,
      'r',
      positions,
    )(names.map((name) => row[name]));

    expect(byPosition).toEqual(byName);
  });

  it('refuses a query that does not select every column of the entity', async () => {
    const dataSource = await postgresDataSource();
    const positions = new Map([['r_id', 0]]);

    expect(() =>
      compileRowMapper<RowProbe>(dataSource, dataSource.getMetadata(RowProbe), 'r', positions),
    ).toThrow('The query does not select column r_name.');
  });
});
