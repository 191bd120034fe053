import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RUN_REPORTER } from '../executors/executor.port';
import { ExecutorsModule } from '../executors/executors.module';
import { AuthModule } from '../auth/auth.module';
import { ArtifactStore } from './artifacts/artifact-store';
import { CapacityService } from './capacity.service';
import { Dispatcher } from './dispatcher.service';
import { TaskAttempt } from './entities/task-attempt.entity';
import { TaskDependency } from './entities/task-dependency.entity';
import { TaskEvent } from './entities/task-event.entity';
import { TaskLabel } from './entities/task-label.entity';
import { Task } from './entities/task.entity';
import { UserQuota } from './entities/user-quota.entity';
import { EventsController } from './events.controller';
import { LaunchWorker } from './launch.worker';
import { TaskMetricsModule } from './metrics/task-metrics.module';
import { QueueAccessPolicy } from './queue-access.policy';
import { Reconciler } from './reconciler.service';
import { RunAuth } from './run-auth.service';
import { RunOutcomes } from './run-outcomes.service';
import { RunSpecFactory } from './run-spec.factory';
import { TaskDependencies } from './task-dependencies.service';
import { TaskEventFeed } from './task-event-feed';
import { TaskLogsService } from './task-logs.service';
import { TaskRunReporter } from './task-run-reporter';
import { TaskRunsController } from './task-runs.controller';
import { TaskTransitions } from './task-transitions.service';
import { TaskWakeups } from './task-wakeups';
import { TasksController } from './tasks.controller';
import { TasksPrometheus } from './tasks.prometheus';
import { TasksQuery } from './tasks.query';
import { TasksService } from './tasks.service';

/** Training tasks: REST, dispatcher, launch worker, reconciler, logs, metrics, events. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Task, TaskLabel, TaskAttempt, TaskEvent, TaskDependency, UserQuota]),
    TaskMetricsModule,
    ExecutorsModule,
    AuthModule,
  ],
  controllers: [TasksController, TaskRunsController, EventsController],
  providers: [
    ArtifactStore,
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
    TaskLogsService,
    TaskRunReporter,
    { provide: RUN_REPORTER, useExisting: TaskRunReporter },
    TaskTransitions,
    TaskWakeups,
    TasksPrometheus,
    TasksQuery,
    TasksService,
  ],
})
export class TasksModule implements OnModuleInit {
  constructor(
    private readonly wakeups: TaskWakeups,
    private readonly dispatcher: Dispatcher,
    private readonly reconciler: Reconciler,
  ) {}

  onModuleInit(): void {
    this.wakeups.register({
      dispatch: () => this.dispatcher.wake(),
      reconcile: () => this.reconciler.wake(),
    });
  }
}
