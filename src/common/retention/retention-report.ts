// What a retention run did, table by table: the runner logs it and returns it, so an
// operator (or a test) sees where the time went and which statement was the longest.
import type { RetentionStatement } from './retention-statements';

/** The statements of one kind that one rule ran on one table during a run. */
export interface TableStatements {
  rule: string;
  table: string;
  kind: RetentionStatement['kind'];
  statements: number;
  deleted: number;
  totalMs: number;
  longestMs: number;
}

export type LongestStatement = RetentionStatement & { rule: string };

/** What one run removed per rule, and how long its statements and batches took. */
export interface RetentionSummary {
  /** Rows each rule says it removed (rows its deletes cascaded to are not counted). */
  removed: Record<string, number>;
  longestBatchMs: number;
  /** Per rule, table and kind of statement. */
  statements: TableStatements[];
  longestStatement: LongestStatement | null;
}

export class RetentionReport {
  private readonly removed: Record<string, number> = {};
  private readonly tables = new Map<string, TableStatements>();
  private longestBatchMs = 0;
  private longestStatement: LongestStatement | null = null;

  /** A rule that ran shows in the summary, with 0 when it found nothing. */
  ruleStarted(rule: string): void {
    this.removed[rule] ??= 0;
  }

  batch(rule: string, removed: number, ms: number): void {
    this.removed[rule] = (this.removed[rule] ?? 0) + removed;
    this.longestBatchMs = Math.max(this.longestBatchMs, Math.round(ms));
  }

  statement(rule: string, statement: RetentionStatement): void {
    const key = `${rule}\u0000${statement.table}\u0000${statement.kind}`;
    const table = this.tables.get(key) ?? {
      rule,
      table: statement.table,
      kind: statement.kind,
      statements: 0,
      deleted: 0,
      totalMs: 0,
      longestMs: 0,
    };
    table.statements += 1;
    table.deleted += statement.deleted;
    table.totalMs += statement.ms;
    table.longestMs = Math.max(table.longestMs, statement.ms);
    this.tables.set(key, table);
    if (!this.longestStatement || statement.ms > this.longestStatement.ms) {
      this.longestStatement = { rule, ...statement };
    }
  }

  /** The statements one rule ran, for its log line. */
  statementsOf(rule: string): TableStatements[] {
    return [...this.tables.values()].filter((table) => table.rule === rule).map(rounded);
  }

  summary(): RetentionSummary {
    return {
      removed: { ...this.removed },
      longestBatchMs: this.longestBatchMs,
      statements: [...this.tables.values()].map(rounded),
      longestStatement: this.longestStatement
        ? { ...this.longestStatement, ms: round(this.longestStatement.ms) }
        : null,
    };
  }
}

function rounded(table: TableStatements): TableStatements {
  return { ...table, totalMs: round(table.totalMs), longestMs: round(table.longestMs) };
}

/** Milliseconds to a tenth: finer than a log reader needs, coarser than the timer's noise. */
function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
