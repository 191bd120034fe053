// What the deployment controller and the kubelet do in a real cluster for a Deployment,
// played by tests: pods from its template up to its replicas, a surge rollout (old pods
// go only once the new template has every wanted replica ready, as with maxUnavailable
// 0), and the pod states a replica goes through (running and ready, crash-looping).
import { createHash, randomUUID } from 'node:crypto';
import { ClusterState } from './cluster-state';
import { KubeObject, now } from './wire';

const TEMPLATE_HASH = 'pod-template-hash';

export class DeploymentController {
  private podAddress = 10;

  constructor(private readonly state: ClusterState) {}

  /** Brings a Deployment's pods in line with its spec and writes its status. */
  sync(namespace: string, name: string): void {
    const deployment = this.state.get('deployments', namespace, name);
    if (!deployment) return;
    const hash = templateHash(deployment);
    const wanted = deployment.spec.replicas ?? 1;
    const pods = this.podsOf(deployment);
    const current = pods.filter((pod) => pod.metadata.labels?.[TEMPLATE_HASH] === hash);
    for (let i = current.length; i < wanted; i++) current.push(this.createPod(deployment, hash));
    for (const extra of current.slice(wanted)) this.state.store('DELETED', 'pods', extra);
    const kept = current.slice(0, wanted);
    const readyNew = kept.filter(isReady).length;
    const old = pods.filter((pod) => pod.metadata.labels?.[TEMPLATE_HASH] !== hash);
    if (readyNew >= wanted) for (const pod of old) this.state.store('DELETED', 'pods', pod);
    this.writeStatus(deployment, kept, readyNew);
  }

  /** Deleting a Deployment in the background takes its pods with it. */
  deletePodsOf(deployment: KubeObject): void {
    for (const pod of this.podsOf(deployment)) this.state.store('DELETED', 'pods', pod);
  }

  podsOf(deployment: KubeObject): KubeObject[] {
    const selector: Record<string, string> = deployment.spec.selector.matchLabels;
    return this.state
      .all('pods')
      .filter(
        (pod) =>
          pod.metadata.namespace === deployment.metadata.namespace &&
          Object.entries(selector).every(([key, value]) => pod.metadata.labels?.[key] === value),
      );
  }

  /** Pods of the Deployment's current template (or of `revision`, by its label). */
  podsRunning(namespace: string, name: string, revision?: number): KubeObject[] {
    const deployment = this.state.get('deployments', namespace, name);
    if (!deployment) throw new Error(`no Deployment ${namespace}/${name}`);
    const hash = templateHash(deployment);
    return this.podsOf(deployment).filter((pod) =>
      revision === undefined
        ? pod.metadata.labels?.[TEMPLATE_HASH] === hash
        : pod.metadata.labels?.['kiln.dev/service-revision'] === String(revision),
    );
  }

  /** The kubelet started the pod's container and its readiness probe passed. */
  ready(pod: KubeObject): void {
    this.updatePod(pod, (next) => {
      next.status = {
        ...next.status,
        phase: 'Running',
        podIP: next.status.podIP ?? `10.0.0.${this.podAddress++}`,
        startTime: next.status.startTime ?? now(),
        conditions: [condition('PodScheduled'), condition('Ready')],
        containerStatuses: [
          containerStatus(next, {
            ready: true,
            started: true,
            restartCount: next.status.containerStatuses?.[0]?.restartCount ?? 0,
            state: { running: { startedAt: now() } },
          }),
        ],
      };
    });
  }

  /** The container keeps exiting; the kubelet waits longer before each restart. */
  crashLooping(pod: KubeObject, exitCode: number): void {
    this.updatePod(pod, (next) => {
      const restarts = (next.status.containerStatuses?.[0]?.restartCount ?? 0) + 1;
      next.status = {
        ...next.status,
        phase: 'Running',
        startTime: next.status.startTime ?? now(),
        conditions: [condition('PodScheduled'), condition('Ready', 'False')],
        containerStatuses: [
          containerStatus(next, {
            ready: false,
            started: false,
            restartCount: restarts,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: `back-off 10s restarting failed container=service pod=${next.metadata.name}`,
              },
            },
            lastState: { terminated: { exitCode, reason: 'Error', finishedAt: now() } },
          }),
        ],
      };
    });
  }

  private createPod(deployment: KubeObject, hash: string): KubeObject {
    const template = deployment.spec.template;
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...structuredClone(template.metadata ?? {}),
        name: `${deployment.metadata.name}-${hash}-${randomUUID().slice(0, 5)}`,
        namespace: deployment.metadata.namespace,
        uid: randomUUID(),
        creationTimestamp: now(),
        labels: { ...(template.metadata?.labels ?? {}), [TEMPLATE_HASH]: hash },
      },
      spec: structuredClone(template.spec),
      status: {
        phase: 'Pending',
        conditions: [condition('PodScheduled')],
        containerStatuses: [
          {
            name: template.spec.containers[0].name,
            image: template.spec.containers[0].image,
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ContainerCreating' } },
          },
        ],
      },
    };
    this.state.store('ADDED', 'pods', pod);
    return pod;
  }

  private writeStatus(deployment: KubeObject, current: KubeObject[], readyNew: number): void {
    const next = structuredClone(deployment);
    const pods = this.podsOf(deployment);
    next.status = {
      observedGeneration: deployment.metadata.generation,
      replicas: pods.length,
      updatedReplicas: current.length,
      readyReplicas: pods.filter(isReady).length,
      availableReplicas: pods.filter(isReady).length,
      ...(readyNew < current.length ? { unavailableReplicas: current.length - readyNew } : {}),
    };
    if (JSON.stringify(next.status) === JSON.stringify(deployment.status)) return;
    this.state.store('MODIFIED', 'deployments', next);
  }

  private updatePod(pod: KubeObject, change: (pod: KubeObject) => void): void {
    const next = structuredClone(
      this.state.get('pods', pod.metadata.namespace!, pod.metadata.name),
    );
    if (!next) throw new Error(`no pod ${pod.metadata.name}`);
    change(next);
    this.state.store('MODIFIED', 'pods', next);
  }
}

/** Like the controller's pod-template-hash: the same template, however its keys are ordered. */
function templateHash(deployment: KubeObject): string {
  return createHash('sha256')
    .update(canonicalJson(deployment.spec.template))
    .digest('hex')
    .slice(0, 10);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function isReady(pod: KubeObject): boolean {
  return pod.status?.conditions?.some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
  );
}

function condition(type: string, status = 'True') {
  return { type, status, lastTransitionTime: now() };
}

function containerStatus(pod: KubeObject, fields: object) {
  const container = pod.spec.containers[0];
  return { name: container.name, image: container.image, imageID: '', ...fields };
}
