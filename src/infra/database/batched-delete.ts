// Deletes old rows a batch at a time: the ids of at most `limit` rows older than a
// cutoff (through the column's index), then those ids by primary key. Two short
// statements per batch, so retention never holds a table for long on either database.
import type { ObjectLiteral, Repository } from 'typeorm';
import type { RetentionStatements } from '../../common/retention/retention-statements';

export interface OldRows {
  /** The database name of the timestamp column the cutoff applies to. */
  column: string;
  before: Date;
  limit: number;
  /** A further SQL condition on the rows, with its parameters. */
  where?: { sql: string; parameters?: ObjectLiteral };
}

/**
 * Deletes at most `rows.limit` rows older than `rows.before`; returns how many went.
 * Both statements run through `statements`, which times them.
 */
export async function deleteOldRows<Row extends ObjectLiteral>(
  repository: Repository<Row>,
  rows: OldRows,
  statements: RetentionStatements,
): Promise<number> {
  const table = repository.metadata.tableName;
  const select = repository
    .createQueryBuilder('r')
    .select('r.id', 'id')
    .where(`r.${rows.column} < :before`, { before: rows.before })
    .orderBy(`r.${rows.column}`, 'ASC')
    .limit(rows.limit);
  if (rows.where) select.andWhere(rows.where.sql, rows.where.parameters);
  const found = await statements.select(table, () => select.getRawMany<{ id: string }>());
  const ids = found.map((row) => row.id);
  if (ids.length === 0) return 0;
  return statements.delete(table, async () => {
    const result = await repository
      .createQueryBuilder()
      .delete()
      .where('id IN (:...ids)', { ids })
      .execute();
    return result.affected ?? 0;
  });
}
