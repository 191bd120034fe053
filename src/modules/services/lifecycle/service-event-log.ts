// Every service's status changes, read in order by other modules (webhooks) as plain
// records: the entities stay private to the services module.
import { Injectable } from '@nestjs/common';
import { ServicesRepository } from '../persistence/services.repository';
import type { ServiceStatus } from './service-status';

export interface ServiceStatusRecord {
  /** Increasing; the position in the log. */
  id: number;
  serviceId: string;
  /** Null once the service is deleted. */
  serviceName: string | null;
  ownerId: string;
  /** `status`: the status changed; `scale`: the wanted replicas changed. */
  kind: 'status' | 'scale';
  /** The replicas wanted from then on, for a `scale` record. */
  replicas: number | null;
  from: ServiceStatus | null;
  to: ServiceStatus;
  /** The revision being rolled out when the status changed. */
  revision: number;
  /** A user id, or `system` for the reconciler. */
  actor: string;
  reason: string | null;
  occurredAt: Date;
}

@Injectable()
export class ServiceEventLog {
  constructor(private readonly services: ServicesRepository) {}

  /** Status changes after `afterId`, oldest first. */
  async after(afterId: number, limit: number): Promise<ServiceStatusRecord[]> {
    const rows = await this.services.eventsAfter(afterId, limit);
    const names = await this.services.namesOf([...new Set(rows.map((row) => row.serviceId))]);
    return rows.map((row) => ({
      id: row.id,
      serviceId: row.serviceId,
      serviceName: names.get(row.serviceId) ?? null,
      ownerId: row.ownerId,
      kind: row.kind,
      replicas: row.replicas,
      from: row.fromStatus,
      to: row.toStatus,
      revision: row.revision,
      actor: row.actor,
      reason: row.reason,
      occurredAt: row.occurredAt,
    }));
  }

  lastId(): Promise<number> {
    return this.services.lastEventId();
  }
}
