import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth';
import { RuntimesModule } from '../runtimes';
import { ReplicaUsagePort, ServiceEventPort, TasksModule } from '../tasks';
import { ReplicaLogsController } from './api/replica-logs.controller';
import { ServicesController } from './api/services.controller';
import { ServicesService } from './api/services.service';
import { InvokeController } from './invoke/invoke.controller';
import { InvokePrometheus } from './invoke/invoke.prometheus';
import { ReplyFromRegistration } from './invoke/reply-from.registration';
import { ServiceDirectory } from './invoke/service-directory';
import { INVOCATION_STATS_PROVIDERS } from './invoke/stats/invocation-stats.providers';
import { ServiceEvent } from './persistence/service-event.entity';
import { ServiceRevision } from './persistence/service-revision.entity';
import { Service } from './persistence/service.entity';
import { ServicesRepository } from './persistence/services.repository';
import { ServiceHistoryRetention } from './retention/service-history-retention';
import { ServiceReconciler } from './supervision/service-reconciler';
import { ServiceWakeups } from './supervision/service-wakeups';
import { ServiceEventLog } from './lifecycle/service-event-log';
import { ServiceEventFeed } from './lifecycle/service-event-feed';

/** Model services: REST, the reconciler that keeps them running, and their endpoint. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Service, ServiceRevision, ServiceEvent]),
    RuntimesModule,
    AuthModule,
    TasksModule,
  ],
  controllers: [ServicesController, ReplicaLogsController, InvokeController],
  providers: [
    ServicesService,
    ServicesRepository,
    ServiceReconciler,
    ServiceWakeups,
    ServiceDirectory,
    InvokePrometheus,
    ReplyFromRegistration,
    ServiceEventLog,
    ServiceEventFeed,
    ServiceHistoryRetention,
    ...INVOCATION_STATS_PROVIDERS,
  ],
  exports: [ServiceEventLog],
})
export class ServicesModule implements OnModuleInit {
  constructor(
    private readonly wakeups: ServiceWakeups,
    private readonly reconciler: ServiceReconciler,
    private readonly eventPort: ServiceEventPort,
    private readonly eventFeed: ServiceEventFeed,
    private readonly replicaUsage: ReplicaUsagePort,
    private readonly services: ServicesRepository,
  ) {}

  onModuleInit(): void {
    this.wakeups.register(() => this.reconciler.wake());
    this.eventPort.register(this.eventFeed);
    this.replicaUsage.register({
      byOwner: (ownerIds, exceptServiceId) => this.services.heldByOwner(ownerIds, exceptServiceId),
    });
  }
}
