import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth';
import { RunReporterRelay, RuntimesModule } from '../runtimes';
import { ArtifactsModule } from './artifacts/artifacts.module';
import { CapacityService } from './orchestration/capacity.service';
import { Dispatcher } from './orchestration/dispatcher.service';
import { TaskAttempt } from './persistence/entities/task-attempt.entity';
import { TaskDependency } from './persistence/entities/task-dependency.entity';
import { TaskEvent } from './persistence/entities/task-event.entity';
import { TaskLabel } from './persistence/entities/task-label.entity';
import { Task } from './persistence/entities/task.entity';
import { UserQuota } from './persistence/entities/user-quota.entity';
import { EventsController } from './api/events.controller';
import { LaunchWorker } from './orchestration/launch.worker';
import { TaskMetricsModule } from './training-metrics/task-metrics.module';
import { QueueAccessPolicy } from './orchestration/queue-access.policy';
import { Reconciler } from './orchestration/reconciler.service';
import { RunAuth } from './runs/run-auth.service';
import { RunOutcomes } from './lifecycle/run-outcomes.service';
import { RunSpecFactory } from './runs/run-spec.factory';
import { TaskDependencies } from './orchestration/task-dependencies.service';
import { TaskEventFeed } from './events/task-event-feed';
import { TaskEventLog } from './events/task-event-log';
import { ServiceEventPort } from './events/service-event-port';
import { ReplicaUsagePort } from './quotas/replica-usage-port';
import { ReplicaQuotaGate } from './quotas/replica-quota-gate';
import { TaskLogsService } from './runs/task-logs.service';
import { TaskRunReporter } from './runs/task-run-reporter';
import { TaskRunsController } from './api/task-runs.controller';
import { TaskLifecycle } from './lifecycle/task-lifecycle';
import { TaskWakeups } from './orchestration/task-wakeups';
import { TasksController } from './api/tasks.controller';
import { TasksPrometheus } from './observability/tasks.prometheus';
import { TaskAttemptRepository } from './persistence/task-attempt.repository';
import { TaskDependencyRepository } from './persistence/task-dependency.repository';
import { TaskEventRepository } from './persistence/task-event.repository';
import { TaskListRepository } from './persistence/task-list.repository';
import { TaskRepository } from './persistence/task.repository';
import { TaskRetentionRepository } from './persistence/task-retention.repository';
import { FinishedTaskRetention } from './retention/finished-task-retention';
import { UserQuotaRepository } from './persistence/user-quota.repository';
import { WaitingReasons } from './orchestration/waiting-reasons';
import { TasksService } from './api/tasks.service';
import { QueueAdministration } from './queues/queue-administration.service';
import { QueueCatalog } from './queues/queue-catalog';
import { QueueFiguresRepository } from './queues/queue-figures.repository';
import { TaskQueueRow } from './queues/task-queue.entity';
import { TaskQueueRepository } from './queues/task-queue.repository';
import { QuotaAdministration } from './quotas/quota-administration.service';
import { QuotaUsageRepository } from './quotas/quota-usage.repository';
import { TrainedModels } from './artifacts/trained-models';

/** Training tasks: REST, dispatcher, launch worker, reconciler, logs, metrics, events. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      Task,
      TaskLabel,
      TaskAttempt,
      TaskEvent,
      TaskDependency,
      UserQuota,
      TaskQueueRow,
    ]),
    TaskMetricsModule,
    ArtifactsModule,
    RuntimesModule,
    AuthModule,
  ],
  controllers: [TasksController, TaskRunsController, EventsController],
  providers: [
    CapacityService,
    Dispatcher,
    LaunchWorker,
    QueueAccessPolicy,
    Reconciler,
    RunAuth,
    RunOutcomes,
    RunSpecFactory,
    TaskDependencies,
    TaskEventFeed,
    ServiceEventPort,
    ReplicaUsagePort,
    ReplicaQuotaGate,
    TaskEventLog,
    TaskLogsService,
    TaskRunReporter,
    TaskLifecycle,
    TaskWakeups,
    TasksPrometheus,
    TaskRepository,
    TaskAttemptRepository,
    TaskEventRepository,
    TaskDependencyRepository,
    TaskListRepository,
    UserQuotaRepository,
    WaitingReasons,
    TasksService,
    TaskRetentionRepository,
    FinishedTaskRetention,
    QueueCatalog,
    TaskQueueRepository,
    QueueFiguresRepository,
    QueueAdministration,
    QuotaUsageRepository,
    QuotaAdministration,
    TrainedModels,
  ],
  exports: [
    ServiceEventPort,
    ReplicaUsagePort,
    ReplicaQuotaGate,
    TasksService,
    TrainedModels,
    QueueAdministration,
    QuotaAdministration,
    TaskEventLog,
    TaskLifecycle,
  ],
})
export class TasksModule implements OnModuleInit {
  constructor(
    private readonly wakeups: TaskWakeups,
    private readonly dispatcher: Dispatcher,
    private readonly reconciler: Reconciler,
    private readonly runReports: RunReporterRelay,
    private readonly runReporter: TaskRunReporter,
  ) {}

  onModuleInit(): void {
    this.runReports.connect(this.runReporter);
    this.wakeups.register({
      dispatch: () => this.dispatcher.wake(),
      reconcile: () => this.reconciler.wake(),
    });
  }
}
