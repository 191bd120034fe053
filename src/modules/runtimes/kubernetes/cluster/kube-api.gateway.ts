// Every call the Kubernetes runtime makes to the API server, each retried on transient
// failures (connection errors, 429, 5xx). The docker/k8s Role grants exactly these.
import type { Writable } from 'node:stream';
import type { V1Job, V1JobList, V1PodList, V1Secret, Watch } from '@kubernetes/client-node';
import { Retryable, RetryableOptions } from '../../../../common/retry/retryable.decorator';
import type { KubeClients } from './kube-clients';

export interface PodLogReadOptions {
  follow: boolean;
  /** RFC 3339, whole seconds: lines from then on. */
  sinceTime?: string;
  /** Prefix each line with the kubelet's RFC 3339 timestamp and a space. */
  timestamps?: boolean;
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
