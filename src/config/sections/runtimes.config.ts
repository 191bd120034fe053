import { Section } from '../env.decorator';
import { KubernetesRuntimeConfig } from './kubernetes-runtime.config';
import { LocalRuntimeConfig } from './local-runtime.config';

/** Settings of each runtime (YAML key `executors`); queues say which runtime runs their tasks. */
export class RuntimesConfig {
  @Section(() => LocalRuntimeConfig)
  local: LocalRuntimeConfig;

  @Section(() => KubernetesRuntimeConfig)
  kubernetes: KubernetesRuntimeConfig;
}
