// What the job controller and the kubelet do in a real cluster, played by tests: a pod
// for each new Job, and the pod and Job statuses of each way a run can go.
import { randomUUID } from 'node:crypto';
import { ClusterState } from './cluster-state';
import { KubeObject, now } from './wire';

export class JobController {
  constructor(private readonly state: ClusterState) {}

  running(namespace: string, jobName: string): void {
    this.updatePod(namespace, jobName, (pod) => {
      pod.status = {
        phase: 'Running',
        conditions: [scheduled()],
        containerStatuses: [containerStatus(pod, { running: { startedAt: now() } })],
      };
    });
    this.updateJob(namespace, jobName, (job) => {
      job.status = { active: 1, startTime: now() };
    });
  }

  succeeded(namespace: string, jobName: string): void {
    this.terminate(namespace, jobName, 'Succeeded', { exitCode: 0, reason: 'Completed' });
    this.finishJob(namespace, jobName, 'Complete', 'CompletionsReached', { succeeded: 1 });
  }

  failed(namespace: string, jobName: string, exitCode: number, reason = 'Error'): void {
    this.terminate(namespace, jobName, 'Failed', { exitCode, reason });
    this.finishJob(namespace, jobName, 'Failed', 'BackoffLimitExceeded', { failed: 1 });
  }

  oomKilled(namespace: string, jobName: string): void {
    this.failed(namespace, jobName, 137, 'OOMKilled');
  }

  imagePullBackOff(namespace: string, jobName: string, scheduledSecondsAgo: number): void {
    this.updatePod(namespace, jobName, (pod) => {
      const image = pod.spec.containers[0].image as string;
      pod.status = {
        phase: 'Pending',
        conditions: [scheduled(new Date(Date.now() - scheduledSecondsAgo * 1000))],
        containerStatuses: [
          containerStatus(pod, {
            waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` },
          }),
        ],
      };
    });
  }

  deadlineExceeded(namespace: string, jobName: string): void {
    this.terminate(namespace, jobName, 'Failed', { exitCode: 143, reason: 'Error' });
    this.finishJob(namespace, jobName, 'Failed', 'DeadlineExceeded', { failed: 1 });
  }

  evicted(namespace: string, jobName: string): void {
    this.updatePod(namespace, jobName, (pod) => {
      pod.status = {
        phase: 'Failed',
        reason: 'Evicted',
        message: 'The node was low on resource: memory.',
        conditions: [
          scheduled(),
          {
            type: 'DisruptionTarget',
            status: 'True',
            reason: 'TerminationByKubelet',
            lastTransitionTime: now(),
          },
        ],
        containerStatuses: [
          containerStatus(pod, { terminated: { exitCode: 137, reason: 'Error' } }),
        ],
      };
    });
    this.finishJob(namespace, jobName, 'Failed', 'BackoffLimitExceeded', { failed: 1 });
  }

  /** What the job controller does: one pod from the Job's template. */
  createPodFor(job: KubeObject): void {
    const template = job.spec.template;
    const name = `${job.metadata.name}-${randomUUID().slice(0, 5)}`;
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...structuredClone(template.metadata ?? {}),
        name,
        namespace: job.metadata.namespace,
        uid: randomUUID(),
        creationTimestamp: now(),
        labels: {
          ...(template.metadata?.labels ?? {}),
          'batch.kubernetes.io/controller-uid': job.metadata.uid!,
          'batch.kubernetes.io/job-name': job.metadata.name,
          'job-name': job.metadata.name,
        },
        ownerReferences: [
          { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, uid: job.metadata.uid },
        ],
      },
      spec: structuredClone(template.spec),
      status: { phase: 'Pending', conditions: [] },
    };
    this.state.store('ADDED', 'pods', pod);
  }

  podsOf(job: KubeObject): KubeObject[] {
    return this.state
      .all('pods')
      .filter(
        (pod) => pod.metadata.labels?.['batch.kubernetes.io/controller-uid'] === job.metadata.uid,
      );
  }

  podOf(namespace: string, jobName: string): KubeObject {
    const job = this.state.get('jobs', namespace, jobName);
    const pod = job && this.podsOf(job)[0];
    if (!pod) throw new Error(`no pod for Job ${namespace}/${jobName}`);
    return pod;
  }

  private updatePod(namespace: string, jobName: string, change: (pod: KubeObject) => void): void {
    const pod = structuredClone(this.podOf(namespace, jobName));
    change(pod);
    this.state.store('MODIFIED', 'pods', pod);
  }

  private updateJob(namespace: string, jobName: string, change: (job: KubeObject) => void): void {
    const job = structuredClone(this.state.get('jobs', namespace, jobName));
    if (!job) throw new Error(`no Job ${namespace}/${jobName}`);
    change(job);
    this.state.store('MODIFIED', 'jobs', job);
  }

  private terminate(namespace: string, jobName: string, phase: string, terminated: object): void {
    this.updatePod(namespace, jobName, (pod) => {
      pod.status = {
        phase,
        conditions: [scheduled()],
        containerStatuses: [
          containerStatus(pod, {
            terminated: { ...terminated, startedAt: now(), finishedAt: now() },
          }),
        ],
      };
    });
  }

  private finishJob(
    namespace: string,
    jobName: string,
    type: 'Complete' | 'Failed',
    reason: string,
    counts: object,
  ): void {
    this.updateJob(namespace, jobName, (job) => {
      job.status = {
        ...counts,
        active: 0,
        conditions: [
          { type, status: 'True', reason, message: `Job ${reason}`, lastTransitionTime: now() },
        ],
      };
    });
  }
}

function containerStatus(pod: KubeObject, state: object) {
  const container = pod.spec.containers[0];
  return {
    name: container.name,
    image: container.image,
    imageID: '',
    ready: false,
    restartCount: 0,
    state,
  };
}

function scheduled(at = new Date()) {
  return { type: 'PodScheduled', status: 'True', lastTransitionTime: at.toISOString() };
}
