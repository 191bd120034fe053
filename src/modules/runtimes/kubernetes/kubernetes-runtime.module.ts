import { Module } from '@nestjs/common';
import { RunReporterModule } from '../run-reporter.module';
import { KubernetesBatchRuntime } from './kubernetes-batch-runtime';
import { KubernetesServiceRuntime } from './kubernetes-service-runtime';

/**
 * Provides the Kubernetes runtimes (batch runs and services). They talk to no cluster
 * until a run is launched or a service deployed or inspected, so importing this module is safe on a Kiln with no cluster configured.
 */
@Module({
  imports: [RunReporterModule],
  providers: [KubernetesBatchRuntime, KubernetesServiceRuntime],
  exports: [KubernetesBatchRuntime, KubernetesServiceRuntime],
})
export class KubernetesRuntimeModule {}
