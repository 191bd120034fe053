import { Section } from '../env.decorator';
import { KubernetesRuntimeConfig } from './kubernetes-runtime.config';
import { LocalRuntimeConfig } from './local-runtime.config';

/** Settings of each runtime (formerly the key `executors`); queues say which one runs their tasks. */
export class RuntimesConfig {
  @Section(() => LocalRuntimeConfig)
  local: LocalRuntimeConfig;

  @Section(() => KubernetesRuntimeConfig)
  kubernetes: KubernetesRuntimeConfig;
}
