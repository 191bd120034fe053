// The services module's retention: status events older than
// KILN_RETENTION_SERVICE_EVENT_DAYS (those of deleted services too), and revisions
// beyond the newest KILN_RETENTION_SERVICE_REVISIONS of each service (the target is the
// newest), never its serving one. The tasks a remaining revision pins a model of are held: their run
// directories hold the files replicas serve, now or after a rollback.
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { RetentionRegistry } from '../../../common/retention/retention-registry';
import { KilnConfig } from '../../../config/kiln.config';
import { TASKS_RETENTION_SUBJECT } from '../../tasks';
import { ServicesRepository } from '../persistence/services.repository';

const DAY_MS = 86_400_000;

@Injectable()
export class ServiceHistoryRetention implements OnModuleInit {
  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly registry: RetentionRegistry,
    private readonly services: ServicesRepository,
  ) {}

  onModuleInit(): void {
    const { serviceEventDays, serviceRevisions } = this.config.retention;
    this.registry.hold(TASKS_RETENTION_SUBJECT, () => this.services.pinnedModelTaskIds());
    if (serviceEventDays > 0) {
      this.registry.register({
        name: 'service-events',
        purgeBatch: (limit, statements) =>
          this.services.deleteEventsBefore(
            new Date(Date.now() - serviceEventDays * DAY_MS),
            limit,
            statements,
          ),
      });
    }
    if (serviceRevisions > 0) {
      this.registry.register({
        name: 'service-revisions',
        purgeBatch: (limit, statements) =>
          this.services.deleteRevisionsBeyond(serviceRevisions, limit, statements),
      });
    }
  }
}
