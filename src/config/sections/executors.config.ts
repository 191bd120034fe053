import { Section } from '../env.decorator';
import { KubernetesExecutorConfig } from './kubernetes-executor.config';
import { LocalExecutorConfig } from './local-executor.config';

/** Settings of each executor; queues (tasks config) say which executor runs their tasks. */
export class ExecutorsConfig {
  @Section(() => LocalExecutorConfig)
  local: LocalExecutorConfig;

  @Section(() => KubernetesExecutorConfig)
  kubernetes: KubernetesExecutorConfig;
}
