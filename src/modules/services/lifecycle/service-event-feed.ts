// Puts service events on GET /api/v1/events, through the tasks module's port. Like task
// events, each process reads the service_events table itself (PolledLogFeed): a change
// made here triggers a read at once, the poll brings other replicas' changes.
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { PolledLogFeed } from '../../../common/events/polled-log-feed';
import type { ServiceEventSource, ServiceFeedKind, ServiceFeedRecord } from '../../tasks';
import { ServicesRepository } from '../persistence/services.repository';
import { ServiceEventLog, ServiceStatusRecord } from './service-event-log';

@Injectable()
export class ServiceEventFeed implements ServiceEventSource, OnModuleDestroy {
  private readonly feed: PolledLogFeed<ServiceFeedRecord>;

  constructor(log: ServiceEventLog, repository: ServicesRepository) {
    const rows = {
      after: async (afterId: number, limit: number) =>
        (await log.after(afterId, limit)).map(toFeedRecord),
      maxId: () => log.lastId(),
    };
    this.feed = new PolledLogFeed(rows, new Logger(ServiceEventFeed.name));
    repository.eventsWritten.on('written', () => this.feed.poke());
  }

  follow(listener: (record: ServiceFeedRecord) => void) {
    return this.feed.subscribe(listener);
  }

  replay(afterId: number): Promise<ServiceFeedRecord[]> {
    return this.feed.replay(afterId);
  }

  onModuleDestroy(): void {
    this.feed.close();
  }
}

/** A status change is named by the status reached, a change of wanted replicas `scaled`. */
export function feedKindOf(record: Pick<ServiceStatusRecord, 'kind' | 'to'>): ServiceFeedKind {
  return record.kind === 'scale' ? 'service.scaled' : `service.${record.to}`;
}

function toFeedRecord(record: ServiceStatusRecord): ServiceFeedRecord {
  return {
    id: record.id,
    kind: feedKindOf(record),
    serviceId: record.serviceId,
    serviceName: record.serviceName,
    ownerId: record.ownerId,
    from: record.from,
    to: record.to,
    replicas: record.replicas,
    revision: record.revision,
    actor: record.actor,
    reason: record.reason,
    occurredAt: record.occurredAt,
  };
}
