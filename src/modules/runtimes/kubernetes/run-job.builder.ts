// Builds the batch/v1 Job (and the Secret holding the run token) for one attempt.
import { posix } from 'node:path';
import type {
  V1Container,
  V1EnvVar,
  V1Job,
  V1PodSpec,
  V1ResourceRequirements,
  V1Secret,
  V1Volume,
} from '@kubernetes/client-node';
import type {
  KubernetesRuntimeConfig,
  KubernetesQueueOverrides,
} from '../../../config/sections/kubernetes-runtime.config';
import type { RunResources, RunSpec } from '../batch-runtime.port';
import {
  LABEL_ATTEMPT,
  LABEL_JOB_NAME,
  LABEL_MANAGED_BY,
  LABEL_QUEUE,
  LABEL_TASK_ID,
  MANAGED_BY_KILN,
  labelValueOf,
} from './run-identity';

export const RUN_CONTAINER = 'run';
const OUTPUT_VOLUME = 'kiln-output';
/** Env variables that are credentials: they go into the attempt's Secret, not the pod spec. */
const SECRET_ENV = new Set(['KILN_RUN_TOKEN']);

export interface RunObjectsContext {
  namespace: string;
  jobName: string;
  config: KubernetesRuntimeConfig;
  overrides?: KubernetesQueueOverrides;
}

export function runLabels(spec: RunSpec): Record<string, string> {
  return {
    [LABEL_MANAGED_BY]: MANAGED_BY_KILN,
    [LABEL_TASK_ID]: labelValueOf(spec.taskId),
    [LABEL_ATTEMPT]: String(spec.attempt),
    [LABEL_QUEUE]: labelValueOf(spec.queue),
  };
}

/** Label values must be short and plain; annotations keep the exact task id. */
export function runAnnotations(spec: RunSpec): Record<string, string> {
  return { [LABEL_TASK_ID]: spec.taskId, [LABEL_ATTEMPT]: String(spec.attempt) };
}

export function buildRunJob(spec: RunSpec, context: RunObjectsContext): V1Job {
  const labels = runLabels(spec);
  const annotations = runAnnotations(spec);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: context.jobName, namespace: context.namespace, labels, annotations },
    spec: {
      // Kiln owns retries: a failed pod must fail the Job, not start another pod.
      backoffLimit: 0,
      ...(spec.timeoutSeconds ? { activeDeadlineSeconds: spec.timeoutSeconds } : {}),
      ttlSecondsAfterFinished: context.config.ttlSecondsAfterFinished,
      template: {
        metadata: { labels: { ...labels, [LABEL_JOB_NAME]: context.jobName }, annotations },
        spec: buildPodSpec(spec, context),
      },
    },
  };
}

/** Holds the attempt's credentials; owned by its Job so that deleting the Job removes it. */
export function buildRunSecret(
  spec: RunSpec,
  context: RunObjectsContext,
  owner: { uid: string },
): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: context.jobName,
      namespace: context.namespace,
      labels: runLabels(spec),
      ownerReferences: [
        { apiVersion: 'batch/v1', kind: 'Job', name: context.jobName, uid: owner.uid },
      ],
    },
    type: 'Opaque',
    stringData: secretEnvOf(spec),
  };
}

export function needsSecret(spec: RunSpec): boolean {
  return Object.keys(secretEnvOf(spec)).length > 0;
}

function buildPodSpec(spec: RunSpec, context: RunObjectsContext): V1PodSpec {
  return {
    restartPolicy: 'Never',
    ...untrustedPodFields(context.config),
    containers: [buildContainer(spec, context)],
    volumes: [outputVolume(context)],
    ...placementOf(context.overrides),
  };
}

/**
 * What every pod of user code gets: a run or a replica is untrusted code, so no API
 * credentials of the namespace, no root, and the output volume owned by its group so it
 * can write there.
 */
export function untrustedPodFields(
  config: KubernetesRuntimeConfig,
): Pick<V1PodSpec, 'automountServiceAccountToken' | 'securityContext'> {
  const { runAsUser, runAsGroup } = config;
  return {
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser,
      runAsGroup,
      fsGroup: runAsGroup,
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
}

/** A container of user code may not gain privileges or keep any capability. */
export const UNTRUSTED_CONTAINER_SECURITY: V1Container['securityContext'] = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

/** Where a queue's pods go and what they may pull with, from its overrides. */
export function placementOf(overrides: KubernetesQueueOverrides = {}): Partial<V1PodSpec> {
  return {
    ...(overrides.nodeSelector ? { nodeSelector: { ...overrides.nodeSelector } } : {}),
    ...(overrides.tolerations ? { tolerations: overrides.tolerations.map((t) => ({ ...t })) } : {}),
    ...(overrides.serviceAccountName ? { serviceAccountName: overrides.serviceAccountName } : {}),
    ...(overrides.imagePullSecrets
      ? { imagePullSecrets: overrides.imagePullSecrets.map((name) => ({ name })) }
      : {}),
    ...(overrides.priorityClassName ? { priorityClassName: overrides.priorityClassName } : {}),
  };
}

function buildContainer(spec: RunSpec, context: RunObjectsContext): V1Container {
  if (!spec.image) throw new Error('the Kubernetes runtime needs a container image');
  const mountPath = context.config.outputMountPath;
  const command = commandOf(spec);
  const workingDir = spec.workingDir ? posix.resolve(mountPath, spec.workingDir) : undefined;
  return {
    name: RUN_CONTAINER,
    image: spec.image,
    ...(command.length > 0 ? { command } : {}),
    ...(workingDir ? { workingDir } : {}),
    env: envOf(spec, context),
    resources: resourcesOf(spec.resources),
    securityContext: { ...UNTRUSTED_CONTAINER_SECURITY },
    volumeMounts: [
      {
        name: OUTPUT_VOLUME,
        mountPath,
        ...(context.config.outputClaimName ? { subPath: context.jobName } : {}),
      },
    ],
  };
}

function commandOf(spec: RunSpec): string[] {
  if (spec.shell) return ['/bin/sh', '-c', spec.command.join(' ')];
  return [...spec.command];
}

function envOf(spec: RunSpec, context: RunObjectsContext): V1EnvVar[] {
  const plain = Object.entries(spec.env)
    .filter(([name]) => !SECRET_ENV.has(name) && name !== 'KILN_OUTPUT_DIR')
    .map(([name, value]) => ({ name, value }));
  const fromSecret = Object.keys(secretEnvOf(spec)).map((name) => ({
    name,
    valueFrom: { secretKeyRef: { name: context.jobName, key: name } },
  }));
  const outputDir = { name: 'KILN_OUTPUT_DIR', value: context.config.outputMountPath };
  return [...plain, ...fromSecret, outputDir];
}

function secretEnvOf(spec: RunSpec): Record<string, string> {
  return Object.fromEntries(Object.entries(spec.env).filter(([name]) => SECRET_ENV.has(name)));
}

export function resourcesOf(resources: RunResources): V1ResourceRequirements {
  const amounts: Record<string, string> = {
    cpu: String(resources.cpu),
    memory: `${resources.memoryMiB}Mi`,
  };
  if (resources.gpu > 0) amounts['nvidia.com/gpu'] = String(resources.gpu);
  // Requests equal to limits: the Guaranteed QoS class, so the run is the last to be evicted.
  return { requests: { ...amounts }, limits: { ...amounts } };
}

function outputVolume(context: RunObjectsContext): V1Volume {
  const claimName = context.config.outputClaimName;
  return claimName
    ? { name: OUTPUT_VOLUME, persistentVolumeClaim: { claimName } }
    : { name: OUTPUT_VOLUME, emptyDir: {} };
}
