// The API clients of the Kubernetes runtime, built on first use: a Kiln with no
// cluster configured never loads @kubernetes/client-node or reads a kubeconfig.
import type {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  Log,
  Watch,
} from '@kubernetes/client-node';
import type { KubernetesRuntimeConfig } from '../../../../config/sections/kubernetes-runtime.config';

export interface KubeClients {
  apps: AppsV1Api;
  batch: BatchV1Api;
  core: CoreV1Api;
  watch: Watch;
  log: Log;
}

type ClientNode = typeof import('@kubernetes/client-node');

export function createKubeClients(config: KubernetesRuntimeConfig): KubeClients {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when used
  const k8s = require('@kubernetes/client-node') as ClientNode;
  const kubeConfig = loadKubeConfig(k8s, config);
  return {
    apps: kubeConfig.makeApiClient(k8s.AppsV1Api),
    batch: kubeConfig.makeApiClient(k8s.BatchV1Api),
    core: kubeConfig.makeApiClient(k8s.CoreV1Api),
    watch: new k8s.Watch(kubeConfig),
    log: new k8s.Log(kubeConfig),
  };
}

function loadKubeConfig(k8s: ClientNode, config: KubernetesRuntimeConfig): KubeConfig {
  const kubeConfig = new k8s.KubeConfig();
  if (config.kubeconfigPath) kubeConfig.loadFromFile(config.kubeconfigPath);
  else kubeConfig.loadFromCluster();
  return kubeConfig;
}
