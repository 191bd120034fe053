import { Module } from '@nestjs/common';
import { ExecutorRegistry } from './executor.registry';
import { Executor, EXECUTORS } from './executor.port';
import { KubernetesExecutor } from './kubernetes/kubernetes.executor';
import { KubernetesExecutorModule } from './kubernetes/kubernetes-executor.module';
import { LocalExecutor } from './local/local-executor';
import { LocalExecutorModule } from './local/local-executor.module';

/**
 * Every executor Kiln has, by name: inject `ExecutorRegistry` (or the EXECUTORS map).
 * A new executor is one more module import and one more factory argument here.
 */
@Module({
  imports: [LocalExecutorModule, KubernetesExecutorModule],
  providers: [
    {
      provide: EXECUTORS,
      inject: [LocalExecutor, KubernetesExecutor],
      useFactory: (...executors: Executor[]): ReadonlyMap<string, Executor> =>
        new Map(executors.map((executor) => [executor.name, executor])),
    },
    ExecutorRegistry,
  ],
  exports: [EXECUTORS, ExecutorRegistry],
})
export class ExecutorsModule {}
