// Watches the Jobs and pods Kiln created, per namespace, so that inspect() is answered
// from memory instead of one API call per run per reconciler tick.
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { KubeApiGateway } from './cluster/kube-api.gateway';
import { ResourceWatch } from './cluster/resource-watch';
import { LABEL_JOB_NAME, MANAGED_SELECTOR } from './run-identity';

export interface ObservedRun {
  job: V1Job;
  pods: V1Pod[];
}

interface NamespaceWatches {
  jobs: ResourceWatch<V1Job>;
  pods: ResourceWatch<V1Pod>;
}

export class RunWatcher {
  private readonly namespaces = new Map<string, NamespaceWatches>();

  constructor(
    private readonly api: KubeApiGateway,
    private readonly onJobChange?: (type: string, job: V1Job) => void,
  ) {}

  watch(namespace: string): void {
    if (this.namespaces.has(namespace)) return;
    const watches = { jobs: this.jobsWatch(namespace), pods: this.podsWatch(namespace) };
    this.namespaces.set(namespace, watches);
    watches.jobs.start();
    watches.pods.start();
  }

  /** The run as last seen, or undefined when the watches cannot vouch for it. */
  observed(namespace: string, jobName: string): ObservedRun | undefined {
    const watches = this.namespaces.get(namespace);
    if (!watches?.jobs.synced || !watches.pods.synced) return undefined;
    const job = watches.jobs.get(jobName);
    if (!job) return undefined;
    return { job, pods: watches.pods.filter((pod) => podBelongsTo(pod, jobName)) };
  }

  stop(): void {
    for (const watches of this.namespaces.values()) {
      watches.jobs.stop();
      watches.pods.stop();
    }
    this.namespaces.clear();
  }

  private jobsWatch(namespace: string): ResourceWatch<V1Job> {
    return new ResourceWatch<V1Job>(
      {
        path: `/apis/batch/v1/namespaces/${namespace}/jobs`,
        labelSelector: MANAGED_SELECTOR,
        list: () => this.api.listJobs(namespace, MANAGED_SELECTOR),
        onChange: (type, job) => this.onJobChange?.(type, job),
      },
      this.api.watch,
    );
  }

  private podsWatch(namespace: string): ResourceWatch<V1Pod> {
    return new ResourceWatch<V1Pod>(
      {
        path: `/api/v1/namespaces/${namespace}/pods`,
        labelSelector: MANAGED_SELECTOR,
        list: () => this.api.listPods(namespace, MANAGED_SELECTOR),
      },
      this.api.watch,
    );
  }
}

export function podBelongsTo(pod: V1Pod, jobName: string): boolean {
  return pod.metadata?.labels?.[LABEL_JOB_NAME] === jobName;
}
