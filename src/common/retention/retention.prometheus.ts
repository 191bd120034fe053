import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import type { RetentionStatement } from './retention-statements';

const DURATION_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

@Injectable()
export class RetentionPrometheus {
  private readonly removed: Counter<'rule'>;
  private readonly batchDuration: Histogram<'rule'>;
  private readonly statementDuration: Histogram<'rule' | 'table' | 'statement'>;
  private readonly deleted: Counter<'rule' | 'table'>;

  constructor(registry: Registry) {
    this.removed = new Counter({
      name: 'kiln_retention_removed_total',
      help: 'Rows removed by retention, by rule',
      labelNames: ['rule'],
      registers: [registry],
    });
    this.batchDuration = new Histogram({
      name: 'kiln_retention_batch_duration_seconds',
      help: 'Duration of one retention batch, by rule',
      labelNames: ['rule'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
    this.statementDuration = new Histogram({
      name: 'kiln_retention_statement_duration_seconds',
      help: 'Duration of one retention statement, by rule, table and kind (select or delete)',
      labelNames: ['rule', 'table', 'statement'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
    this.deleted = new Counter({
      name: 'kiln_retention_deleted_rows_total',
      help: 'Rows retention statements deleted, by rule and table (cascaded rows not counted)',
      labelNames: ['rule', 'table'],
      registers: [registry],
    });
  }

  batch(rule: string, removed: number, seconds: number): void {
    this.removed.inc({ rule }, removed);
    this.batchDuration.observe({ rule }, seconds);
  }

  statement(rule: string, statement: RetentionStatement): void {
    const { table, kind } = statement;
    this.statementDuration.observe({ rule, table, statement: kind }, statement.ms / 1000);
    if (statement.kind === 'delete') this.deleted.inc({ rule, table }, statement.deleted);
  }
}
