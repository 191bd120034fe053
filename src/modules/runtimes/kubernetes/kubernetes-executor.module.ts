import { Module } from '@nestjs/common';
import { KubernetesExecutor } from './kubernetes.executor';

/**
 * Provides the Kubernetes executor. It talks to no cluster until a run is launched or
 * inspected, so importing this module is safe on a Kiln with no cluster configured.
 */
@Module({
  providers: [KubernetesExecutor],
  exports: [KubernetesExecutor],
})
export class KubernetesExecutorModule {}
