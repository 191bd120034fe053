import { Module } from '@nestjs/common';
import { RunReporterModule } from '../run-reporter.module';
import { KubernetesBatchRuntime } from './kubernetes-batch-runtime';

/**
 * Provides the Kubernetes runtime. It talks to no cluster until a run is launched or
 * inspected, so importing this module is safe on a Kiln with no cluster configured.
 */
@Module({
  imports: [RunReporterModule],
  providers: [KubernetesBatchRuntime],
  exports: [KubernetesBatchRuntime],
})
export class KubernetesRuntimeModule {}
