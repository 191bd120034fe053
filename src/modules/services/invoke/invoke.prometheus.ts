// Invocations through Kiln per service and status code: a count and a latency histogram
// (counted by the replica that proxied each; sum them across replicas).
import { Injectable } from '@nestjs/common';
import { Histogram, Registry } from 'prom-client';

@Injectable()
export class InvokePrometheus {
  private readonly seconds: Histogram<'service' | 'code'>;

  constructor(registry: Registry) {
    this.seconds = new Histogram({
      name: 'kiln_service_invocations_seconds',
      help: 'Time to the end of each invocation proxied to a service replica, by service and status code',
      labelNames: ['service', 'code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  }

  observe(service: string, code: number, seconds: number): void {
    this.seconds.observe({ service, code: String(code) }, seconds);
  }
}
