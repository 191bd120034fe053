// Runs each service as an apps/v1 Deployment (its replicas, rolled over by the
// Deployment's surge strategy and health-checked by its probes) and a v1 Service (one
// stable name in the cluster); see service/service-objects.builder.ts for what they hold.
// State comes from a watch that any Kiln process keeps, so every api replica answers
// status and endpoints, not only the leader.
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { FieldProblem } from '../../../common/errors/domain-error';
import { KilnConfig } from '../../../config/kiln.config';
import type { KubernetesRuntimeConfig } from '../../../config/sections/kubernetes-runtime.config';
import type {
  ReplicaLogOptions,
  ServiceEndpoint,
  ServiceHandle,
  ServiceLocator,
  ServiceRuntime,
  ServiceSpec,
  ServiceStatus,
} from '../service-runtime.port';
import { KubeApiGateway, type JsonPatchOperation } from './cluster/kube-api.gateway';
import { isAlreadyExists, isNotFound } from './cluster/kube-api-error';
import { createKubeClients } from './cluster/kube-clients';
import { podLogLines } from './cluster/pod-log.stream';
import { KUBERNETES_RUNTIME } from './kubernetes-batch-runtime';
import { servicePortOf, toEndpoints, toServiceStatus } from './service/replica-status.mapper';
import {
  ANNOTATION_REVISION,
  LABEL_SERVICE_ID,
  parseServiceHandleId,
  serviceHandleIdOf,
  serviceObjectName,
} from './service/service-identity';
import {
  SERVICE_CONTAINER,
  ServiceObjectsContext,
  buildClusterService,
  buildPodTemplate,
  buildServiceDeployment,
} from './service/service-objects.builder';
import { ObservedService, ServiceWatcher } from './service/service-watcher';

@Injectable()
export class KubernetesServiceRuntime implements ServiceRuntime, OnModuleDestroy {
  readonly name = KUBERNETES_RUNTIME;
  /** Each replica is its own pod, without Kiln's Secret or a service-account token. */
  readonly isolatesReplicas = true;
  private readonly logger = new Logger(KubernetesServiceRuntime.name);
  private readonly settings: KubernetesRuntimeConfig;
  private connection: { api: KubeApiGateway; watcher: ServiceWatcher } | undefined;

  constructor(@Inject(KilnConfig) config: KilnConfig) {
    this.settings = config.runtimes.kubernetes;
  }

  /** Each replica is a container, so a service must name its image. */
  validate(spec: Pick<ServiceSpec, 'command' | 'image'>): FieldProblem[] {
    if (spec.image?.trim()) return [];
    return [{ field: 'image', message: 'is required: each replica is a container of that image' }];
  }

  /**
   * Creates the Service and the Deployment, or brings an existing Deployment to `spec`:
   * a new pod template when the revision differs (the Deployment then rolls its pods
   * over), the replica count when only that differs, nothing when neither does.
   */
  async deploy(spec: ServiceSpec): Promise<ServiceHandle> {
    const context = this.contextOf(spec);
    const { api, watcher } = this.connect();
    watcher.watch(context.namespace);
    await this.ensureClusterService(api, spec, context);
    const existing = await this.createOrRead(api, buildServiceDeployment(spec, context));
    if (existing) await this.update(api, existing, spec, context);
    return { runtime: this.name, id: serviceHandleIdOf(context.namespace, context.name) };
  }

  async scale(handle: ServiceHandle, replicas: number): Promise<void> {
    const { namespace, name } = parseServiceHandleId(handle.id);
    await this.connect().api.patchDeployment(namespace, name, [
      { op: 'replace', path: '/spec/replicas', value: replicas },
    ]);
  }

  async status(handle: ServiceHandle): Promise<ServiceStatus> {
    const observed = await this.observe(handle);
    if (!observed) return { state: 'lost', reason: 'its Deployment is gone from the cluster' };
    return toServiceStatus(observed.deployment, observed.pods);
  }

  async endpoints(handle: ServiceHandle): Promise<ServiceEndpoint[]> {
    const observed = await this.observe(handle);
    const port = observed && servicePortOf(observed.deployment);
    return observed && port ? toEndpoints(observed.pods, port) : [];
  }

  /** A replica is a pod: its container's log, from the pod log API. */
  async *logs(
    handle: ServiceHandle,
    replica: string,
    options: ReplicaLogOptions = {},
  ): AsyncIterable<string> {
    const { namespace } = parseServiceHandleId(handle.id);
    const observed = await this.observe(handle);
    const pod = observed?.pods.find((candidate) => candidate.metadata?.name === replica);
    if (!pod || !containerStarted(pod)) return;
    const target = { namespace, pod: replica, container: SERVICE_CONTAINER };
    const lines = podLogLines(this.connect().api, target, {
      follow: Boolean(options.follow),
      signal: options.signal,
    });
    let lineNumber = 0;
    for await (const line of lines) {
      if (lineNumber++ >= (options.sinceLine ?? 0)) yield line;
    }
  }

  /**
   * Deletes the Deployment (its pods go with it, each with its own
   * terminationGracePeriodSeconds rather than `graceMs`) and the Service.
   */
  async stop(handle: ServiceHandle, _graceMs: number): Promise<void> {
    const { namespace, name } = parseServiceHandleId(handle.id);
    const { api } = this.connect();
    await ignoreNotFound(api.deleteDeployment(namespace, name));
    await ignoreNotFound(api.deleteService(namespace, name));
    this.logger.log(`deleted Deployment and Service ${namespace}/${name}`);
  }

  /** The service's Deployment, found by the name every deploy of it gives it. */
  async find(service: ServiceLocator): Promise<ServiceHandle | undefined> {
    const { namespace, name } = this.contextOf(service);
    const deployment = await ignoreNotFound(this.connect().api.readDeployment(namespace, name));
    return deployment ? { runtime: this.name, id: serviceHandleIdOf(namespace, name) } : undefined;
  }

  onModuleDestroy(): void {
    this.connection?.watcher.stop();
  }

  private connect(): { api: KubeApiGateway; watcher: ServiceWatcher } {
    if (!this.connection) {
      const api = new KubeApiGateway(createKubeClients(this.settings));
      this.connection = { api, watcher: new ServiceWatcher(api) };
    }
    return this.connection;
  }

  private contextOf(spec: ServiceLocator): ServiceObjectsContext {
    const overrides = this.settings.queues?.get(spec.queue);
    return {
      namespace: overrides?.namespace ?? this.settings.namespace,
      name: serviceObjectName(spec.serviceId),
      config: this.settings,
      overrides,
    };
  }

  /** A Service that already exists is the one an earlier deploy of this service created. */
  private async ensureClusterService(
    api: KubeApiGateway,
    spec: ServiceSpec,
    context: ServiceObjectsContext,
  ): Promise<void> {
    try {
      await api.createService(context.namespace, buildClusterService(spec, context));
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
  }

  /** The Deployment that was already there (409 on create), or undefined when just created. */
  private async createOrRead(
    api: KubeApiGateway,
    deployment: V1Deployment,
  ): Promise<V1Deployment | undefined> {
    const { namespace, name } = deployment.metadata as { namespace: string; name: string };
    try {
      await api.createDeployment(namespace, deployment);
      this.logger.log(`created Deployment ${namespace}/${name}`);
      return undefined;
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      return api.readDeployment(namespace, name);
    }
  }

  private async update(
    api: KubeApiGateway,
    current: V1Deployment,
    spec: ServiceSpec,
    context: ServiceObjectsContext,
  ): Promise<void> {
    const operations: JsonPatchOperation[] = [];
    if (current.metadata?.annotations?.[ANNOTATION_REVISION] !== String(spec.revision)) {
      operations.push(
        {
          op: 'replace',
          path: `/metadata/annotations/${escapePointer(ANNOTATION_REVISION)}`,
          value: String(spec.revision),
        },
        { op: 'replace', path: '/spec/template', value: buildPodTemplate(spec, context) },
      );
    }
    if (current.spec?.replicas !== spec.replicas) {
      operations.push({ op: 'replace', path: '/spec/replicas', value: spec.replicas });
    }
    if (operations.length === 0) return;
    await api.patchDeployment(context.namespace, context.name, operations);
    this.logger.log(
      `updated Deployment ${context.namespace}/${context.name} to revision ${spec.revision}`,
    );
  }

  /** From the watch when it can vouch for the service, otherwise from the API server. */
  private async observe(handle: ServiceHandle): Promise<ObservedService | undefined> {
    const { namespace, name } = parseServiceHandleId(handle.id);
    const { api, watcher } = this.connect();
    watcher.watch(namespace);
    const watched = watcher.observed(namespace, name);
    if (watched !== undefined) return watched ?? undefined;
    const deployment = await ignoreNotFound(api.readDeployment(namespace, name));
    if (!deployment) return undefined;
    const id = deployment.metadata?.labels?.[LABEL_SERVICE_ID];
    const pods = id ? (await api.listPods(namespace, `${LABEL_SERVICE_ID}=${id}`)).items : [];
    return { deployment, pods };
  }
}

function containerStarted(pod: V1Pod): boolean {
  return (
    pod.status?.containerStatuses?.some(
      (status) => status.state?.running !== undefined || status.state?.terminated !== undefined,
    ) ?? false
  );
}

/** A JSON Pointer segment: `~` and `/` escaped (RFC 6901). */
function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

async function ignoreNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
