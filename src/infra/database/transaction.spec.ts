import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { inTransaction } from './transaction';

@Entity()
class Entry {
  @PrimaryColumn()
  id!: number;

  @Column()
  step!: string;
}

describe('inTransaction on SQLite (one shared connection)', () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [Entry],
      synchronize: true,
    });
    await dataSource.initialize();
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  /** A transaction that awaits between its statements, as Kiln's do. */
  const write = (n: number) =>
    inTransaction(dataSource, async (manager) => {
      await manager.insert(Entry, { id: n, step: 'first' });
      await manager.findOneByOrFail(Entry, { id: n });
      await manager.insert(Entry, { id: 1000 + n, step: 'second' });
      if (n % 5 === 0) throw new Error(`transaction ${n} fails`);
    });

  it('commits concurrent transactions whole and rolls back exactly the failing ones', async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, n) => write(n + 1)));

    const failures = results.flatMap((result) =>
      result.status === 'rejected' ? [String(result.reason)] : [],
    );
    expect(failures).toHaveLength(4);
    for (const failure of failures) expect(failure).toMatch(/^Error: transaction \d+ fails$/);
    const ids = (await dataSource.getRepository(Entry).find()).map((entry) => entry.id);
    const committed = Array.from({ length: 20 }, (_, n) => n + 1).filter((n) => n % 5 !== 0);
    expect(ids.sort((a, b) => a - b)).toEqual([...committed, ...committed.map((n) => 1000 + n)]);
  });
});
