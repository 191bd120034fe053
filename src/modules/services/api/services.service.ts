// What users do to services: create, read, change (a new revision when what replicas run
// changes), scale, roll back and delete; ownership as for tasks (members their own,
// viewers read, admins all). The reconciler does the running.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  FieldProblem,
  InvalidInputError,
  NotFoundError,
} from '../../../common/errors/domain-error';
import { retry } from '../../../common/retry/retry';
import { KilnConfig } from '../../../config/kiln.config';
import type { TaskQueueConfig } from '../../../config/sections/tasks.config';
import { ForbiddenError, OwnershipPolicy, Principal, Role, ROLES } from '../../auth';
import { ServiceRuntimeRegistry } from '../../runtimes';
import { ReplicaQuotaGate, TrainedModels } from '../../tasks';
import { ServiceStatus, statusesLeadingTo } from '../lifecycle/service-status';
import { PinnedModel, ServiceRevision } from '../persistence/service-revision.entity';
import { Service } from '../persistence/service.entity';
import { ServiceChanges, ServicesRepository } from '../persistence/services.repository';
import { ServiceWakeups } from '../supervision/service-wakeups';
import {
  ServiceChangedError,
  ServiceNameTakenError,
  ServiceStoppingError,
} from '../services.errors';
import type { CreateServiceDto } from './dto/create-service.dto';
import type { ModelReferenceDto, ServiceSpecFields } from './dto/service-spec.dto';

const NOTHING_HELD = { replicas: 0, gpus: 0 };

/** How often a change without If-Match is made again after losing a race to the write. */
const LATEST_ATTEMPTS = 5;

const DEFAULTS = {
  replicas: 1,
  port: 8080,
  healthPath: '/healthz',
  rolloutTimeoutSeconds: 300,
  invokeTimeoutSeconds: 60,
  invokeRetry: true,
};

/** The columns of a revision that a change may replace. */
type RevisionSpec = Pick<
  ServiceRevision,
  'model' | 'command' | 'image' | 'env' | 'cpuMillis' | 'memoryMiB' | 'gpu' | 'port' | 'healthPath'
>;

@Injectable()
export class ServicesService {
  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly services: ServicesRepository,
    private readonly runtimes: ServiceRuntimeRegistry,
    private readonly models: TrainedModels,
    private readonly policy: OwnershipPolicy,
    private readonly wakeups: ServiceWakeups,
    private readonly quota: ReplicaQuotaGate,
  ) {}

  async create(principal: Principal, dto: CreateServiceDto): Promise<Service> {
    this.policy.assertCanCreate(principal);
    const queue = this.queueFor(principal, dto.queue ?? this.config.tasks.defaultQueue);
    if (await this.services.findByName(dto.name)) throw new ServiceNameTakenError(dto.name);
    const id = randomUUID();
    const spec = await this.revisionSpec(principal, dto, undefined, queue);
    const replicas = dto.replicas ?? DEFAULTS.replicas;
    const admit = () =>
      this.quota.assertRoom(principal.userId, undefined, NOTHING_HELD, {
        replicas,
        gpus: replicas * spec.gpu,
      });
    const now = new Date();
    const service = Object.assign(new Service(), {
      id,
      ownerId: principal.userId,
      name: dto.name,
      description: dto.description ?? null,
      labels: dto.labels ?? {},
      queue: queue.name,
      runtime: queue.runtime,
      status: ServiceStatus.Deploying,
      reason: 'created',
      desiredReplicas: replicas,
      readyReplicas: 0,
      updatedReplicas: 0,
      targetRevision: 1,
      servingRevision: null,
      rolloutState: 'progressing',
      rolloutStartedAt: now,
      rolloutTimeoutSeconds: dto.rolloutTimeoutSeconds ?? DEFAULTS.rolloutTimeoutSeconds,
      invokeTimeoutSeconds: dto.invokeTimeoutSeconds ?? DEFAULTS.invokeTimeoutSeconds,
      invokeRetry: dto.invokeRetry ?? DEFAULTS.invokeRetry,
      handle: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    } satisfies Service);
    const revision = this.newRevision(service, 1, spec, principal, 'created');
    try {
      await this.services.create(service, revision, principal.userId, admit);
    } catch (error) {
      // a create racing this one took the name between the check and the insert
      if (await this.services.findByName(dto.name)) throw new ServiceNameTakenError(dto.name);
      throw error;
    }
    this.wakeups.wake();
    return service;
  }

  /** The service called `name`, if the caller may read it (404 otherwise). */
  async get(principal: Principal, name: string): Promise<Service> {
    const service = await this.services.findByName(name);
    if (!service) throw new NotFoundError('Service not found.');
    this.policy.assertCanRead(principal, service.ownerId, 'Service');
    return service;
  }

  async list(principal: Principal, limit: number, after?: string) {
    const items = await this.services.list(limit + 1, after, this.policy.listableOwner(principal));
    const page = items.slice(0, limit);
    return { items: page, nextCursor: items.length > limit ? page[page.length - 1].name : null };
  }

  async revision(service: Service, number = service.targetRevision): Promise<ServiceRevision> {
    const revision = await this.services.revision(service.id, number);
    if (!revision) throw new NotFoundError(`Service ${service.name} has no revision ${number}.`);
    return revision;
  }

  revisions(service: Service): Promise<ServiceRevision[]> {
    return this.services.revisionsOf(service.id);
  }

  events(service: Service, limit: number) {
    return this.services.eventsOf(service.id, limit);
  }

  canSeeSecrets(principal: Principal, service: Service): boolean {
    return this.policy.canSeeSecrets(principal, service.ownerId);
  }

  /**
   * Applies a change. Fields that change what replicas run make a new revision, rolled
   * out by the reconciler; replicas, labels, description and timeouts do not.
   */
  async update(
    principal: Principal,
    name: string,
    dto: ServiceSpecFields,
    ifMatch?: number,
  ): Promise<Service> {
    return this.onLatest(ifMatch, async () => {
      const service = await this.changeable(principal, name, ifMatch);
      const current = await this.revision(service);
      const queue = this.queueFor(principal, service.queue);
      const spec = await this.revisionSpec(principal, dto, current, queue);
      const changes: ServiceChanges = {
        description: dto.description,
        labels: dto.labels,
        desiredReplicas: dto.replicas,
        rolloutTimeoutSeconds: dto.rolloutTimeoutSeconds,
        invokeTimeoutSeconds: dto.invokeTimeoutSeconds,
        invokeRetry: dto.invokeRetry,
      };
      const changed = !sameSpec(spec, current);
      return this.apply(principal, service, changes, changed ? spec : undefined, 'updated');
    });
  }

  async scale(principal: Principal, name: string, replicas: number): Promise<Service> {
    return this.onLatest(undefined, async () => {
      const service = await this.changeable(principal, name);
      return this.apply(principal, service, { desiredReplicas: replicas });
    });
  }

  /** Rolls out an earlier revision's spec again, as a new revision. */
  async rollback(principal: Principal, name: string, number: number): Promise<Service> {
    return this.onLatest(undefined, async () => {
      const service = await this.changeable(principal, name);
      if (number === service.targetRevision) {
        throw new InvalidInputError(`Revision ${number} is already the target revision.`, [
          { field: 'revision', message: 'is the current revision' },
        ]);
      }
      const earlier = await this.revision(service, number);
      this.queueFor(principal, service.queue);
      return this.apply(principal, service, {}, earlier, `rollback to revision ${number}`);
    });
  }

  /**
   * Marks the service stopping, from whatever status it is in by now; the reconciler stops
   * its replicas and removes it. Deleting a service already stopping changes nothing.
   */
  async delete(principal: Principal, name: string): Promise<void> {
    const service = await this.get(principal, name);
    this.policy.assertCanChange(principal, service.ownerId, 'Service');
    if (service.status === ServiceStatus.Stopping) return;
    const moved = await this.services.move(service, {
      from: statusesLeadingTo(ServiceStatus.Stopping),
      to: ServiceStatus.Stopping,
      actor: principal.userId,
      reason: 'deleted',
    });
    // not moved: a delete racing this one got there first
    if (moved) this.wakeups.wake();
  }

  /**
   * Runs `change` on the service as it is now. The reconciler moves a service's status,
   * and with it its version, whenever replicas start, become ready or fail; a change that
   * named no version (no If-Match) and lost that race to the write is read and made again,
   * since the newer service is the one its caller meant. Only a change that named the
   * version it read, or kept losing, answers 412.
   */
  private onLatest(ifMatch: number | undefined, change: () => Promise<Service>): Promise<Service> {
    return retry(change, {
      attempts: ifMatch === undefined ? LATEST_ATTEMPTS : 1,
      // at once: the service is current again as soon as the reconciler's write is in
      baseDelayMs: 0,
      isRetryable: (error) => error instanceof ServiceChangedError,
    });
  }

  private async changeable(principal: Principal, name: string, ifMatch?: number) {
    const service = await this.get(principal, name);
    this.policy.assertCanChange(principal, service.ownerId, 'Service');
    if (service.status === ServiceStatus.Stopping) throw new ServiceStoppingError();
    if (ifMatch !== undefined && ifMatch !== service.version) {
      throw new ServiceChangedError(service.version);
    }
    return service;
  }

  private async apply(
    principal: Principal,
    service: Service,
    changes: ServiceChanges,
    spec?: RevisionSpec,
    cause?: string,
  ): Promise<Service> {
    let revision: ServiceRevision | undefined;
    if (spec) {
      const number = service.targetRevision + 1;
      revision = this.newRevision(service, number, spec, principal, cause ?? 'updated');
      Object.assign(changes, {
        targetRevision: number,
        rolloutState: 'progressing',
        rolloutStartedAt: new Date(),
      } satisfies ServiceChanges);
    }
    const admit = () => this.assertQuota(service, changes.desiredReplicas, spec);
    if (!(await this.services.change(service, changes, principal.userId, revision, admit))) {
      const now = await this.services.findById(service.id);
      throw new ServiceChangedError(now?.version ?? service.version);
    }
    this.wakeups.wake();
    return (await this.services.findById(service.id)) ?? service;
  }

  /**
   * Refuses (409) a change that would make the service hold more of its owner's quota
   * than there is room for: its wanted replicas, and their GPUs at the target revision's.
   */
  private async assertQuota(
    service: Service,
    replicas = service.desiredReplicas,
    spec?: RevisionSpec,
  ): Promise<void> {
    const current = (await this.revision(service)).gpu;
    const gpu = spec?.gpu ?? current;
    await this.quota.assertRoom(
      service.ownerId,
      service.id,
      { replicas: service.desiredReplicas, gpus: service.desiredReplicas * current },
      { replicas, gpus: replicas * gpu },
    );
  }

  /** The revision columns the request asks for, filled from `current` and the defaults. */
  private async revisionSpec(
    principal: Principal,
    dto: ServiceSpecFields,
    current: ServiceRevision | undefined,
    queue: TaskQueueConfig,
  ): Promise<RevisionSpec> {
    const model =
      dto.model === undefined
        ? (current?.model ?? null)
        : dto.model === null
          ? null
          : await this.pinnedModel(principal, dto.model, current?.model ?? null);
    const defaults = queue.defaultResources;
    const spec: RevisionSpec = {
      model,
      command: dto.command ?? current?.command ?? [],
      image: dto.image ?? current?.image ?? null,
      env: dto.env ?? current?.env ?? {},
      cpuMillis: Math.round(
        (dto.resources?.cpu ?? (current ? current.cpuMillis / 1000 : defaults.cpu)) * 1000,
      ),
      memoryMiB: dto.resources?.memoryMiB ?? current?.memoryMiB ?? defaults.memoryMiB,
      gpu: dto.resources?.gpu ?? current?.gpu ?? defaults.gpu,
      port: dto.port ?? current?.port ?? DEFAULTS.port,
      healthPath: dto.healthPath ?? current?.healthPath ?? DEFAULTS.healthPath,
    };
    this.checkSpec(spec, queue);
    return spec;
  }

  /** A model reference pinned to the attempt that produced it; unchanged refs keep their pin. */
  private async pinnedModel(
    principal: Principal,
    reference: ModelReferenceDto,
    current: PinnedModel | null,
  ): Promise<PinnedModel> {
    if (current && current.taskId === reference.taskId && current.path === reference.path) {
      return current;
    }
    const model = await this.models.resolve(principal, reference.taskId, reference.path);
    return { ...model };
  }

  private checkSpec(spec: RevisionSpec, queue: TaskQueueConfig): void {
    const problems: FieldProblem[] = this.runtimes
      .get(queue.runtime)
      .validate({ command: spec.command, image: spec.image ?? undefined });
    const reserved = Object.keys(spec.env).filter((name) => name.toUpperCase().startsWith('KILN_'));
    if (reserved.length > 0) {
      problems.push({
        field: 'env',
        message: `names starting with KILN_ are reserved (${reserved.join(', ')})`,
      });
    }
    if (reserved.length === 0 && 'PORT' in spec.env) {
      problems.push({ field: 'env', message: 'PORT is set by Kiln from `port`' });
    }
    if (spec.gpu > queue.maxGpus) {
      problems.push({
        field: 'resources.gpu',
        message: `queue ${queue.name} hands out at most ${queue.maxGpus} GPUs`,
      });
    }
    if (problems.length > 0) {
      throw new InvalidInputError('The service spec cannot run on its queue.', problems);
    }
  }

  /** The queue called `name`, if it exists and the caller may deploy to it. */
  private queueFor(principal: Principal, name: string): TaskQueueConfig {
    const queue = this.config.tasks.queues.find((candidate) => candidate.name === name);
    if (!queue || !this.runtimes.has(queue.runtime)) {
      throw new InvalidInputError(`No queue named ${name} runs services.`, [
        { field: 'queue', message: `must be one of ${this.queueNames().join(', ')}` },
      ]);
    }
    const allowed = this.allowedRoles(queue);
    if (!principal.roles.some((role) => allowed.includes(role))) {
      throw new ForbiddenError(
        `Queue ${queue.name} takes services from ${allowed.join(', ') || 'nobody'} only.`,
      );
    }
    return queue;
  }

  /** As for tasks: a queue's own setting, else every role when its replicas are isolated. */
  private allowedRoles(queue: TaskQueueConfig): readonly Role[] {
    if (queue.allowedRoles) return queue.allowedRoles as Role[];
    return this.runtimes.get(queue.runtime).isolatesReplicas ? ROLES : [Role.Admin];
  }

  private queueNames(): string[] {
    return this.config.tasks.queues
      .filter((queue) => this.runtimes.has(queue.runtime))
      .map((queue) => queue.name);
  }

  private newRevision(
    service: Service,
    number: number,
    spec: RevisionSpec,
    principal: Principal,
    cause: string,
  ): ServiceRevision {
    return Object.assign(new ServiceRevision(), {
      id: randomUUID(),
      serviceId: service.id,
      number,
      model: spec.model,
      command: spec.command,
      image: spec.image,
      env: spec.env,
      cpuMillis: spec.cpuMillis,
      memoryMiB: spec.memoryMiB,
      gpu: spec.gpu,
      port: spec.port,
      healthPath: spec.healthPath,
      createdBy: principal.userId,
      cause,
      createdAt: new Date(),
    });
  }
}

function sameSpec(spec: RevisionSpec, revision: ServiceRevision): boolean {
  const pick = (value: RevisionSpec) =>
    JSON.stringify([
      value.model,
      value.command,
      value.image,
      value.env,
      value.cpuMillis,
      value.memoryMiB,
      value.gpu,
      value.port,
      value.healthPath,
    ]);
  return pick(spec) === pick(revision);
}
