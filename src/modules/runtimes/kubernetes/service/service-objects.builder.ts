// Builds the apps/v1 Deployment and the v1 Service of one service. The Deployment rolls
// revisions over the way the services module wants (surge, never below the ready
// replicas it had); the Service gives the replicas one stable name inside the cluster.
import { posix } from 'node:path';
import type {
  V1Container,
  V1Deployment,
  V1EnvVar,
  V1PodTemplateSpec,
  V1Probe,
  V1Service,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import type {
  KubernetesQueueOverrides,
  KubernetesRuntimeConfig,
} from '../../../../config/sections/kubernetes-runtime.config';
import type { ServiceSpec } from '../../service-runtime.port';
import {
  LABEL_MANAGED_BY,
  LABEL_QUEUE,
  MANAGED_BY_KILN,
  jobNameFor,
  labelValueOf,
} from '../run-identity';
import {
  UNTRUSTED_CONTAINER_SECURITY,
  placementOf,
  resourcesOf,
  untrustedPodFields,
} from '../run-job.builder';
import { ANNOTATION_REVISION, LABEL_SERVICE_ID, LABEL_SERVICE_REVISION } from './service-identity';

export const SERVICE_CONTAINER = 'service';
const MODEL_VOLUME = 'kiln-model';
/** Where the model is mounted, read-only, in every replica (KILN_MODEL_DIR). */
export const MODEL_MOUNT_PATH = '/kiln/model';
/** Host paths of Kiln's machine mean nothing in a pod; the mount replaces them. */
const HOST_MODEL_ENV = new Set(['KILN_MODEL_DIR', 'KILN_MODEL_PATH']);

const READINESS_PERIOD_SECONDS = 2;
/** A replica loading a large model may take this long before liveness checks begin. */
const STARTUP_PERIOD_SECONDS = 5;
const STARTUP_FAILURE_THRESHOLD = 120;
const LIVENESS_PERIOD_SECONDS = 10;
const LIVENESS_FAILURE_THRESHOLD = 3;
/**
 * How long a pod being deleted (rollout, scale-down) keeps serving before it is told to
 * stop: the kubelet sends SIGTERM as the deletion is published, and Kiln's watch needs a
 * moment to take the pod out of the endpoints it proxies to; requests already sent to it
 * finish meanwhile. Part of the pod's termination grace (30 s by default).
 */
export const PRE_STOP_DRAIN_SECONDS = 5;
/** Old ReplicaSets kept: enough to see the last rollout, the rest is Kiln's revisions table. */
const REVISION_HISTORY_LIMIT = 2;

export interface ServiceObjectsContext {
  namespace: string;
  name: string;
  config: KubernetesRuntimeConfig;
  overrides?: KubernetesQueueOverrides;
}

export function serviceLabels(spec: Pick<ServiceSpec, 'serviceId' | 'queue'>) {
  return {
    [LABEL_MANAGED_BY]: MANAGED_BY_KILN,
    [LABEL_SERVICE_ID]: labelValueOf(spec.serviceId),
    [LABEL_QUEUE]: labelValueOf(spec.queue),
  };
}

/** What picks a service's pods: its id, which no other service's pods carry. */
export function podSelectorOf(spec: Pick<ServiceSpec, 'serviceId'>) {
  return { [LABEL_MANAGED_BY]: MANAGED_BY_KILN, [LABEL_SERVICE_ID]: labelValueOf(spec.serviceId) };
}

export function buildServiceDeployment(
  spec: ServiceSpec,
  context: ServiceObjectsContext,
): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: context.name,
      namespace: context.namespace,
      labels: serviceLabels(spec),
      annotations: {
        [LABEL_SERVICE_ID]: spec.serviceId,
        [ANNOTATION_REVISION]: String(spec.revision),
      },
    },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: podSelectorOf(spec) },
      // Surge: a new revision's replicas all start beside the old ones, and an old one
      // goes only once a new one is ready, so the service never has fewer ready replicas.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 } },
      revisionHistoryLimit: REVISION_HISTORY_LIMIT,
      template: buildPodTemplate(spec, context),
    },
  };
}

/** The pod template alone: what a new revision replaces in the Deployment. */
export function buildPodTemplate(
  spec: ServiceSpec,
  context: ServiceObjectsContext,
): V1PodTemplateSpec {
  const model = modelMount(spec, context);
  return {
    metadata: {
      labels: { ...serviceLabels(spec), [LABEL_SERVICE_REVISION]: String(spec.revision) },
      annotations: { [LABEL_SERVICE_ID]: spec.serviceId },
    },
    spec: {
      // A crashed replica is restarted by the kubelet with its own capped back-off
      // (CrashLoopBackOff), which Kiln reports as the replica's reason.
      restartPolicy: 'Always',
      ...untrustedPodFields(context.config),
      containers: [buildContainer(spec, model?.mount)],
      ...(model ? { volumes: [model.volume] } : {}),
      ...placementOf(context.overrides),
    },
  };
}

export function buildClusterService(spec: ServiceSpec, context: ServiceObjectsContext): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: context.name,
      namespace: context.namespace,
      labels: serviceLabels(spec),
      annotations: { [LABEL_SERVICE_ID]: spec.serviceId },
    },
    spec: {
      type: 'ClusterIP',
      selector: podSelectorOf(spec),
      ports: [{ name: 'http', protocol: 'TCP', port: spec.port, targetPort: spec.port }],
    },
  };
}

function buildContainer(spec: ServiceSpec, modelMount?: V1VolumeMount): V1Container {
  if (!spec.image) throw new Error('the Kubernetes runtime needs a container image');
  const command = spec.shell ? ['/bin/sh', '-c', spec.command.join(' ')] : [...spec.command];
  return {
    name: SERVICE_CONTAINER,
    image: spec.image,
    ...(command.length > 0 ? { command } : {}),
    ...(spec.workingDir ? { workingDir: posix.resolve('/', spec.workingDir) } : {}),
    env: envOf(spec, modelMount !== undefined),
    ports: [{ name: 'http', containerPort: spec.port, protocol: 'TCP' }],
    resources: resourcesOf(spec.resources),
    readinessProbe: probeOf(spec, READINESS_PERIOD_SECONDS, 1),
    startupProbe: probeOf(spec, STARTUP_PERIOD_SECONDS, STARTUP_FAILURE_THRESHOLD),
    livenessProbe: probeOf(spec, LIVENESS_PERIOD_SECONDS, LIVENESS_FAILURE_THRESHOLD),
    // the kubelet's own sleep (Kubernetes 1.30+), so the image needs no sleep binary
    lifecycle: { preStop: { sleep: { seconds: PRE_STOP_DRAIN_SECONDS } } },
    securityContext: { ...UNTRUSTED_CONTAINER_SECURITY },
    ...(modelMount ? { volumeMounts: [modelMount] } : {}),
  };
}

/** HTTP on the health path when the service has one, otherwise "the port accepts". */
function probeOf(spec: ServiceSpec, periodSeconds: number, failureThreshold: number): V1Probe {
  const check = spec.readinessPath
    ? { httpGet: { path: spec.readinessPath, port: spec.port, scheme: 'HTTP' } }
    : { tcpSocket: { port: spec.port } };
  return { ...check, periodSeconds, failureThreshold, timeoutSeconds: 1 };
}

function envOf(spec: ServiceSpec, modelMounted: boolean): V1EnvVar[] {
  const plain = Object.entries(spec.env)
    .filter(
      ([name]) => !HOST_MODEL_ENV.has(name) && name !== 'PORT' && name !== 'KILN_SERVICE_PORT',
    )
    .map(([name, value]) => ({ name, value }));
  const port = String(spec.port);
  const served = [
    { name: 'PORT', value: port },
    { name: 'KILN_SERVICE_PORT', value: port },
    // The pod's name: what logs and the API call the replica.
    { name: 'KILN_SERVICE_REPLICA', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  ];
  if (!modelMounted || !spec.model) return [...plain, ...served];
  const model = [{ name: 'KILN_MODEL_DIR', value: MODEL_MOUNT_PATH }];
  if (!spec.model.isDirectory) {
    const file = posix.join(MODEL_MOUNT_PATH, posix.basename(spec.model.path));
    model.push({ name: 'KILN_MODEL_PATH', value: file });
  }
  return [...plain, ...served, ...model];
}

/**
 * The model comes from the output volume the training run wrote to: the run's own
 * subPath of the output claim (the directory holding the model, when the model is a
 * file), mounted read-only. Without an output claim no run output outlives its pod, so
 * a service there serves what its image carries.
 */
function modelMount(
  spec: ServiceSpec,
  context: ServiceObjectsContext,
): { volume: V1Volume; mount: V1VolumeMount } | undefined {
  const claimName = context.config.outputClaimName;
  if (!spec.model || !claimName) return undefined;
  const { taskId, attempt, path, isDirectory } = spec.model;
  const inOutput = posix.normalize(isDirectory ? path : posix.dirname(path));
  const subPath = posix.join(jobNameFor(taskId, attempt), inOutput === '.' ? '' : inOutput);
  return {
    volume: { name: MODEL_VOLUME, persistentVolumeClaim: { claimName, readOnly: true } },
    mount: { name: MODEL_VOLUME, mountPath: MODEL_MOUNT_PATH, subPath, readOnly: true },
  };
}
