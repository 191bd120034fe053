// Every call the Kubernetes runtime makes to the API server, each retried on transient
// failures (connection errors, 429, 5xx). The docker/k8s Role grants exactly these.
import type { Writable } from 'node:stream';
import type {
  V1Deployment,
  V1DeploymentList,
  V1Job,
  V1JobList,
  V1PodList,
  V1Secret,
  V1Service,
  Watch,
} from '@kubernetes/client-node';
import { Retryable, RetryableOptions } from '../../../../common/retry/retryable.decorator';
import type { KubeClients } from './kube-clients';

export interface PodLogReadOptions {
  follow: boolean;
  /** RFC 3339, whole seconds: lines from then on. */
  sinceTime?: string;
  /** Prefix each line with the kubelet's RFC 3339 timestamp and a space. */
  timestamps?: boolean;
}

/** One operation of an RFC 6902 JSON Patch, the patch type client-node sends by default. */
export interface JsonPatchOperation {
  op: 'add' | 'replace' | 'remove' | 'test';
  path: string;
  value?: unknown;
}

/** isTransientError reads client-node's ApiException `code` (connection errors surface as 500). */
const API_RETRY: RetryableOptions = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };

export class KubeApiGateway {
  constructor(private readonly clients: KubeClients) {}

  /** Watches are long requests that resume on their own; see resource-watch.ts. */
  get watch(): Watch {
    return this.clients.watch;
  }

  @Retryable(API_RETRY)
  createJob(namespace: string, body: V1Job): Promise<V1Job> {
    return this.clients.batch.createNamespacedJob({ namespace, body });
  }

  @Retryable(API_RETRY)
  readJob(namespace: string, name: string): Promise<V1Job> {
    return this.clients.batch.readNamespacedJob({ namespace, name });
  }

  @Retryable(API_RETRY)
  listJobs(namespace: string, labelSelector: string): Promise<V1JobList> {
    return this.clients.batch.listNamespacedJob({ namespace, labelSelector });
  }

  /** Background: the Job goes at once and the garbage collector then removes its pod. */
  @Retryable(API_RETRY)
  async deleteJob(namespace: string, name: string): Promise<void> {
    await this.clients.batch.deleteNamespacedJob({
      namespace,
      name,
      propagationPolicy: 'Background',
    });
  }

  @Retryable(API_RETRY)
  listPods(namespace: string, labelSelector: string): Promise<V1PodList> {
    return this.clients.core.listNamespacedPod({ namespace, labelSelector });
  }

  @Retryable(API_RETRY)
  async createSecret(namespace: string, body: V1Secret): Promise<void> {
    await this.clients.core.createNamespacedSecret({ namespace, body });
  }

  @Retryable(API_RETRY)
  async deleteSecret(namespace: string, name: string): Promise<void> {
    await this.clients.core.deleteNamespacedSecret({ namespace, name });
  }

  @Retryable(API_RETRY)
  createDeployment(namespace: string, body: V1Deployment): Promise<V1Deployment> {
    return this.clients.apps.createNamespacedDeployment({ namespace, body });
  }

  @Retryable(API_RETRY)
  readDeployment(namespace: string, name: string): Promise<V1Deployment> {
    return this.clients.apps.readNamespacedDeployment({ namespace, name });
  }

  @Retryable(API_RETRY)
  listDeployments(namespace: string, labelSelector: string): Promise<V1DeploymentList> {
    return this.clients.apps.listNamespacedDeployment({ namespace, labelSelector });
  }

  /** A JSON Patch: the operations name exactly the fields they change (replicas, the template). */
  @Retryable(API_RETRY)
  patchDeployment(
    namespace: string,
    name: string,
    operations: JsonPatchOperation[],
  ): Promise<V1Deployment> {
    return this.clients.apps.patchNamespacedDeployment({ namespace, name, body: operations });
  }

  /** Background: the Deployment goes at once, its ReplicaSets and pods after it. */
  @Retryable(API_RETRY)
  async deleteDeployment(namespace: string, name: string): Promise<void> {
    await this.clients.apps.deleteNamespacedDeployment({
      namespace,
      name,
      propagationPolicy: 'Background',
    });
  }

  @Retryable(API_RETRY)
  async createService(namespace: string, body: V1Service): Promise<void> {
    await this.clients.core.createNamespacedService({ namespace, body });
  }

  @Retryable(API_RETRY)
  async deleteService(namespace: string, name: string): Promise<void> {
    await this.clients.core.deleteNamespacedService({ namespace, name });
  }

  /** Pipes the container's log into `sink`; abort the returned controller to stop. */
  @Retryable(API_RETRY)
  openLog(
    target: { namespace: string; pod: string; container: string },
    sink: Writable,
    options: PodLogReadOptions,
  ): Promise<AbortController> {
    const { namespace, pod, container } = target;
    return this.clients.log.log(namespace, pod, container, sink, options);
  }
}
