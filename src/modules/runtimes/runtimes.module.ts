import { Module } from '@nestjs/common';
import { RuntimeRegistry } from './runtime.registry';
import { BatchRuntime, BATCH_RUNTIMES } from './batch-runtime.port';
import { KubernetesBatchRuntime } from './kubernetes/kubernetes-batch-runtime';
import { KubernetesRuntimeModule } from './kubernetes/kubernetes-runtime.module';
import { LocalBatchRuntime } from './local/local-batch-runtime';
import { LocalRuntimeModule } from './local/local-runtime.module';
import { RunReporterModule } from './run-reporter.module';

/**
 * Every runtime Kiln has, by name: inject `RuntimeRegistry` (or the BATCH_RUNTIMES map).
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
  ],
  exports: [BATCH_RUNTIMES, RuntimeRegistry, RunReporterModule],
})
export class RuntimesModule {}
