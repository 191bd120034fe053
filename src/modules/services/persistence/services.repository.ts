// All SQL of the service tables: services, their revisions and their events.
import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, MoreThan, Not, Repository } from 'typeorm';
import type { RetentionStatements } from '../../../common/retention/retention-statements';
import { deleteOldRows } from '../../../infra/database/batched-delete';
import { ConditionalTransition } from '../../../infra/database/conditional-transition';
import { DatabaseDialect } from '../../../infra/database/dialect';
import { inExclusiveTransaction } from '../../../infra/database/transaction';
import { ServiceStatus, statusesLeadingTo } from '../lifecycle/service-status';
import { ServiceEvent } from './service-event.entity';
import { ServiceRevision } from './service-revision.entity';
import { Service } from './service.entity';

/** Columns changed by a user's edit, checked against the version they read. */
/** A check that throws when a change may not be made (the owner's quota); run before it. */
export type Admission = () => Promise<void>;

export type ServiceChanges = Partial<
  Pick<
    Service,
    | 'description'
    | 'labels'
    | 'desiredReplicas'
    | 'targetRevision'
    | 'rolloutState'
    | 'rolloutStartedAt'
    | 'rolloutTimeoutSeconds'
    | 'invokeTimeoutSeconds'
    | 'invokeRetry'
  >
>;

/** What the reconciler records about a service without moving its status. */
export type ObservedState = Partial<
  Pick<
    Service,
    | 'readyReplicas'
    | 'updatedReplicas'
    | 'servingRevision'
    | 'rolloutState'
    | 'handle'
    | 'reason'
    | 'targetRevision'
  >
>;

export interface StatusChange {
  /** The statuses the service may be in; those of them that may lead to `to` count. */
  from: readonly ServiceStatus[];
  to: ServiceStatus;
  actor: string;
  reason: string | null;
  set?: ObservedState;
}

@Injectable()
export class ServicesRepository {
  private readonly transition: ConditionalTransition<Service, ServiceEvent>;
  /** Emits `written` after a service event row is committed here, for the live feed. */
  readonly eventsWritten = new EventEmitter<{ written: [] }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Service) private readonly services: Repository<Service>,
    @InjectRepository(ServiceRevision) private readonly revisions: Repository<ServiceRevision>,
    @InjectRepository(ServiceEvent) private readonly events: Repository<ServiceEvent>,
    dialect: DatabaseDialect,
  ) {
    this.transition = new ConditionalTransition(dataSource, dialect, Service, ServiceEvent);
  }

  /**
   * Writes a new service, its first revision and its first event together, once `admit`
   * (the owner's quota check) has passed; see admitted.
   */
  async create(
    service: Service,
    revision: ServiceRevision,
    actor: string,
    admit: Admission,
  ): Promise<void> {
    await this.admitted(service.ownerId, admit, async (manager) => {
      await manager.insert(Service, service);
      await manager.insert(ServiceRevision, revision);
      await manager.insert(ServiceEvent, {
        serviceId: service.id,
        ownerId: service.ownerId,
        fromStatus: null,
        toStatus: service.status,
        revision: revision.number,
        actor,
        reason: service.reason,
      });
    });
    this.eventsWritten.emit('written');
  }

  findById(id: string): Promise<Service | null> {
    return this.services.findOneBy({ id });
  }

  findByName(name: string): Promise<Service | null> {
    return this.services.findOneBy({ name });
  }

  /** A page of services by name, after `after`, limited to an owner's when given. */
  list(limit: number, after?: string, ownerId?: string): Promise<Service[]> {
    return this.services.find({
      where: { ...(ownerId ? { ownerId } : {}), ...(after ? { name: MoreThan(after) } : {}) },
      order: { name: 'ASC' },
      take: limit,
    });
  }

  /** Every service, for the reconciler. */
  all(): Promise<Service[]> {
    return this.services.find({ order: { createdAt: 'ASC' } });
  }

  revisionsOf(serviceId: string): Promise<ServiceRevision[]> {
    return this.revisions.find({ where: { serviceId }, order: { number: 'DESC' } });
  }

  revision(serviceId: string, number: number): Promise<ServiceRevision | null> {
    return this.revisions.findOneBy({ serviceId, number });
  }

  /** Every service's events after `afterId`, oldest first. */
  eventsAfter(afterId: number, limit: number): Promise<ServiceEvent[]> {
    return this.events.find({
      where: { id: MoreThan(afterId) },
      order: { id: 'ASC' },
      take: limit,
    });
  }

  async lastEventId(): Promise<number> {
    const row = await this.events.find({ select: { id: true }, order: { id: 'DESC' }, take: 1 });
    return row[0]?.id ?? 0;
  }

  /** The names of the services among `ids` that still exist. */
  async namesOf(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.services.find({
      select: { id: true, name: true },
      where: { id: In(ids) },
    });
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  eventsOf(serviceId: string, limit: number): Promise<ServiceEvent[]> {
    return this.events.find({ where: { serviceId }, order: { id: 'DESC' }, take: limit });
  }

  /**
   * Applies `actor`'s change if the service is still at `version`, adding `revision` (a
   * new one) in the same transaction, and a `scale` event when the wanted replicas
   * change. False when someone changed it meanwhile.
   */
  async change(
    service: Service,
    changes: ServiceChanges,
    actor: string,
    revision: ServiceRevision | undefined,
    admit: Admission,
  ): Promise<boolean> {
    const changed = await this.admitted(service.ownerId, admit, async (manager) => {
      const result = await manager.update(
        Service,
        { id: service.id, version: service.version },
        { ...changes, version: service.version + 1 },
      );
      if (!result.affected) return false;
      if (revision) await manager.insert(ServiceRevision, revision);
      const replicas = changes.desiredReplicas;
      if (replicas !== undefined && replicas !== service.desiredReplicas) {
        await manager.insert(ServiceEvent, {
          serviceId: service.id,
          ownerId: service.ownerId,
          kind: 'scale',
          replicas,
          fromStatus: service.status,
          toStatus: service.status,
          revision: changes.targetRevision ?? service.targetRevision,
          actor,
          reason: `scaled from ${service.desiredReplicas} to ${replicas} replicas`,
        });
      }
      return true;
    });
    if (changed) this.eventsWritten.emit('written');
    return changed;
  }

  /**
   * Runs `write` once `admit` has passed, with no other admission of the same owner's
   * services in between (in any process): two changes racing for the last of the owner's
   * quota cannot both read the room that only one of them will take.
   */
  private admitted<T>(
    ownerId: string,
    admit: Admission,
    write: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    return inExclusiveTransaction(
      this.dataSource,
      `service admission ${ownerId}`,
      async (manager) => {
        await admit();
        return write(manager);
      },
    );
  }

  /** Records what the reconciler saw, without a status change. */
  async observe(id: string, state: ObservedState): Promise<void> {
    await this.services.update({ id }, state);
  }

  /** A conditional status move with its event row; null when another actor moved it first. */
  async move(service: Service, change: StatusChange) {
    const moved = await this.transition.move({
      id: service.id,
      from: statusesLeadingTo(change.to).filter((status) => change.from.includes(status)),
      set: { ...change.set, status: change.to, reason: change.reason },
      increment: ['version'],
      event: {
        serviceId: { column: 'id' },
        ownerId: { column: 'ownerId' },
        fromStatus: { previousStatus: true },
        toStatus: { column: 'status' },
        revision: { column: 'targetRevision' },
        actor: { value: change.actor },
        reason: { value: change.reason },
      },
    });
    if (moved) this.eventsWritten.emit('written');
    return moved?.row ?? null;
  }

  async delete(id: string): Promise<void> {
    await this.services.delete({ id });
  }

  /**
   * What each owner's services hold of the quota (of `ownerIds` when given), but
   * `exceptId`'s: the wanted replicas, and replicas × the target revision's GPUs. A
   * rollout's surge (old replicas serving while new ones start) is not counted.
   */
  async heldByOwner(
    ownerIds?: readonly string[],
    exceptId?: string,
  ): Promise<Map<string, { replicas: number; gpus: number }>> {
    if (ownerIds?.length === 0) return new Map();
    const query = this.services
      .createQueryBuilder('s')
      .innerJoin(ServiceRevision, 'r', 'r.service_id = s.id AND r.number = s.target_revision')
      .select('s.owner_id', 'ownerId')
      .addSelect('SUM(s.desired_replicas)', 'replicas')
      .addSelect('SUM(s.desired_replicas * r.gpu)', 'gpus')
      .where('s.desired_replicas > 0')
      .groupBy('s.owner_id');
    if (ownerIds) query.andWhere('s.owner_id IN (:...ownerIds)', { ownerIds });
    if (exceptId) query.andWhere('s.id <> :exceptId', { exceptId });
    const rows = await query.getRawMany<Record<'ownerId' | 'replicas' | 'gpus', string | number>>();
    return new Map(
      rows.map((row) => [
        String(row.ownerId),
        { replicas: Number(row.replicas), gpus: Number(row.gpus) },
      ]),
    );
  }

  /** Removes up to `limit` status events written before `cutoff`, oldest first. */
  deleteEventsBefore(cutoff: Date, limit: number, statements: RetentionStatements) {
    return deleteOldRows(this.events, { column: 'occurred_at', before: cutoff, limit }, statements);
  }

  /**
   * Removes up to `limit` revisions older than the newest `keep` of their service, never
   * the target (always the newest) or the serving one; returns how many went.
   */
  async deleteRevisionsBeyond(
    keep: number,
    limit: number,
    statements: RetentionStatements,
  ): Promise<number> {
    const table = this.revisions.metadata.tableName;
    const found = await statements.select(table, () =>
      this.revisions
        .createQueryBuilder('r')
        .select('r.id', 'id')
        .innerJoin(Service, 's', 's.id = r.service_id')
        .where('r.number <= s.target_revision - :keep', { keep })
        .andWhere('(s.serving_revision IS NULL OR r.number <> s.serving_revision)')
        .orderBy('r.created_at', 'ASC')
        .limit(limit)
        .getRawMany<{ id: string }>(),
    );
    if (found.length === 0) return 0;
    return statements.delete(table, async () => {
      const result = await this.revisions.delete(found.map((row) => row.id));
      return result.affected ?? 0;
    });
  }

  /** The tasks whose output some revision of a service serves, or may roll back to. */
  async pinnedModelTaskIds(): Promise<string[]> {
    const rows = await this.revisions.find({
      where: { model: Not(IsNull()) },
      select: { model: true },
    });
    return [...new Set(rows.flatMap((row) => (row.model ? [row.model.taskId] : [])))];
  }
}
