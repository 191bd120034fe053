import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { HttpPrometheus } from './http.prometheus';
import { PrometheusController } from './prometheus.controller';

/**
 * One prom-client Registry per application (not the global one), so several apps in
 * one test process never register a metric twice. Inject `Registry` to add metrics.
 */
@Global()
@Module({
  controllers: [PrometheusController],
  providers: [
    {
      provide: Registry,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry });
        return registry;
      },
    },
    HttpPrometheus,
  ],
  exports: [Registry, HttpPrometheus],
})
export class PrometheusModule {}
