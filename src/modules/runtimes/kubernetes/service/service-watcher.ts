// Watches the Deployments and pods of Kiln's services, per namespace, so that status()
// and endpoints() (asked on every reconciler pass and every invocation, on any Kiln
// process) are answered from memory instead of API calls.
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { KubeApiGateway } from '../cluster/kube-api.gateway';
import { ResourceWatch } from '../cluster/resource-watch';
import { LABEL_SERVICE_ID, SERVICE_SELECTOR } from './service-identity';

export interface ObservedService {
  deployment: V1Deployment;
  pods: V1Pod[];
}

interface NamespaceWatches {
  deployments: ResourceWatch<V1Deployment>;
  pods: ResourceWatch<V1Pod>;
}

export class ServiceWatcher {
  private readonly namespaces = new Map<string, NamespaceWatches>();

  constructor(private readonly api: KubeApiGateway) {}

  watch(namespace: string): void {
    if (this.namespaces.has(namespace)) return;
    const watches = {
      deployments: this.deploymentsWatch(namespace),
      pods: this.podsWatch(namespace),
    };
    this.namespaces.set(namespace, watches);
    watches.deployments.start();
    watches.pods.start();
  }

  /**
   * The service as last seen: its Deployment and pods, `null` when the synced watch has
   * no such Deployment, undefined when the watches cannot vouch for either yet.
   */
  observed(namespace: string, name: string): ObservedService | null | undefined {
    const watches = this.namespaces.get(namespace);
    if (!watches?.deployments.synced || !watches.pods.synced) return undefined;
    const deployment = watches.deployments.get(name);
    if (!deployment) return null;
    return { deployment, pods: watches.pods.filter((pod) => podBelongsTo(pod, deployment)) };
  }

  stop(): void {
    for (const watches of this.namespaces.values()) {
      watches.deployments.stop();
      watches.pods.stop();
    }
    this.namespaces.clear();
  }

  private deploymentsWatch(namespace: string): ResourceWatch<V1Deployment> {
    return new ResourceWatch<V1Deployment>(
      {
        path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
        labelSelector: SERVICE_SELECTOR,
        list: () => this.api.listDeployments(namespace, SERVICE_SELECTOR),
      },
      this.api.watch,
    );
  }

  private podsWatch(namespace: string): ResourceWatch<V1Pod> {
    return new ResourceWatch<V1Pod>(
      {
        path: `/api/v1/namespaces/${namespace}/pods`,
        labelSelector: SERVICE_SELECTOR,
        list: () => this.api.listPods(namespace, SERVICE_SELECTOR),
      },
      this.api.watch,
    );
  }
}

/** The Deployment selects its pods by the service id label, which only its pods carry. */
export function podBelongsTo(pod: V1Pod, deployment: V1Deployment): boolean {
  const id = deployment.metadata?.labels?.[LABEL_SERVICE_ID];
  return id !== undefined && pod.metadata?.labels?.[LABEL_SERVICE_ID] === id;
}
