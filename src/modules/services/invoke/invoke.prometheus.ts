// Invocations through Kiln per service and status code: a count and a latency histogram,
// one observation per invocation with the status it ended with, and a count of those
// sent to a second replica (counted by the Kiln replica that proxied each; sum them
// across Kiln replicas).
import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

@Injectable()
export class InvokePrometheus {
  private readonly seconds: Histogram<'service' | 'code'>;
  private readonly retries: Counter<'service'>;

  constructor(registry: Registry) {
    this.seconds = new Histogram({
      name: 'kiln_service_invocations_seconds',
      help: 'Time to the end of each invocation proxied to a service replica, by service and status code',
      labelNames: ['service', 'code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.retries = new Counter({
      name: 'kiln_service_invocation_retries_total',
      help: 'Invocations sent to another replica after the first could not be reached or broke the connection off, by service',
      labelNames: ['service'],
      registers: [registry],
    });
  }

  observe(service: string, code: number, seconds: number, { retried }: { retried: boolean }): void {
    this.seconds.observe({ service, code: String(code) }, seconds);
    if (retried) this.retries.inc({ service });
  }
}
