import { Module } from '@nestjs/common';
import { RuntimeRegistry } from './runtime.registry';
import { BatchRuntime, BATCH_RUNTIMES } from './batch-runtime.port';
import { KubernetesBatchRuntime } from './kubernetes/kubernetes-batch-runtime';
import { KubernetesServiceRuntime } from './kubernetes/kubernetes-service-runtime';
import { KubernetesRuntimeModule } from './kubernetes/kubernetes-runtime.module';
import { LocalBatchRuntime } from './local/local-batch-runtime';
import { LocalRuntimeModule } from './local/local-runtime.module';
import { LocalServiceRuntime } from './local/local-service-runtime';
import { SERVICE_RUNTIMES, ServiceRuntime } from './service-runtime.port';
import { ServiceRuntimeRegistry } from './service-runtime.registry';
import { RunReporterModule } from './run-reporter.module';

/**
 * Every runtime Kiln has, by name: inject `RuntimeRegistry` (or the BATCH_RUNTIMES map) for
 * batch runs, `ServiceRuntimeRegistry` (or SERVICE_RUNTIMES) for services.
 * A new runtime is one more module import and one more factory argument here. The
 * importer connects its RunReporter to the exported RunReporterRelay.
 */
@Module({
  imports: [RunReporterModule, LocalRuntimeModule, KubernetesRuntimeModule],
  providers: [
    {
      provide: BATCH_RUNTIMES,
      inject: [LocalBatchRuntime, KubernetesBatchRuntime],
      useFactory: (...runtimes: BatchRuntime[]): ReadonlyMap<string, BatchRuntime> =>
        new Map(runtimes.map((runtime) => [runtime.name, runtime])),
    },
    RuntimeRegistry,
    {
      provide: SERVICE_RUNTIMES,
      inject: [LocalServiceRuntime, KubernetesServiceRuntime],
      useFactory: (...runtimes: ServiceRuntime[]): ReadonlyMap<string, ServiceRuntime> =>
        new Map(runtimes.map((runtime) => [runtime.name, runtime])),
    },
    ServiceRuntimeRegistry,
  ],
  exports: [
    BATCH_RUNTIMES,
    RuntimeRegistry,
    SERVICE_RUNTIMES,
    ServiceRuntimeRegistry,
    RunReporterModule,
  ],
})
export class RuntimesModule {}
