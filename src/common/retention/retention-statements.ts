// Times each statement a retention rule runs, naming its table and the rows it deleted,
// so an operator sees which table a slow run spent its time on: the runner logs a line
// per table and feeds Prometheus from what this records.

/** One statement of a retention batch, as it ran. */
export interface RetentionStatement {
  table: string;
  /** `select` finds the rows of a batch, `delete` removes them. */
  kind: 'select' | 'delete';
  /** Rows deleted; 0 for a select. */
  deleted: number;
  ms: number;
}

export class RetentionStatements {
  constructor(private readonly record: (statement: RetentionStatement) => void) {}

  /** Runs a select that finds rows to remove, timing it. */
  select<Rows extends readonly unknown[]>(table: string, run: () => Promise<Rows>): Promise<Rows> {
    return this.timed(table, 'select', run, () => 0);
  }

  /** Runs a delete that returns how many rows went, timing it. */
  delete(table: string, run: () => Promise<number>): Promise<number> {
    return this.timed(table, 'delete', run, (deleted) => deleted);
  }

  private async timed<Result>(
    table: string,
    kind: RetentionStatement['kind'],
    run: () => Promise<Result>,
    deletedBy: (result: Result) => number,
  ): Promise<Result> {
    const started = performance.now();
    const result = await run();
    this.record({ table, kind, deleted: deletedBy(result), ms: performance.now() - started });
    return result;
  }
}
