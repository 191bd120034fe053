import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import type { ScheduleFire } from './schedule-fire.entity';

@Injectable()
export class SchedulesPrometheus {
  private readonly fires: Counter<'outcome'>;

  constructor(registry: Registry) {
    this.fires = new Counter({
      name: 'kiln_schedule_fires_total',
      help: 'Fire records written by schedules, by outcome (submitted, skipped, missed, failed)',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  recorded(records: readonly ScheduleFire[]): void {
    for (const record of records) this.fires.inc({ outcome: record.outcome });
  }
}
