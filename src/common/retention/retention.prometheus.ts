import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

@Injectable()
export class RetentionPrometheus {
  private readonly removed: Counter<'rule'>;
  private readonly batchDuration: Histogram<'rule'>;

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
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  }

  batch(rule: string, removed: number, seconds: number): void {
    this.removed.inc({ rule }, removed);
    this.batchDuration.observe({ rule }, seconds);
  }
}
