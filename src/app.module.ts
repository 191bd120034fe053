import { DynamicModule, Module, Type } from '@nestjs/common';
import { CoreModule } from './common/core.module';
import { LoggingModule, LoggingOptions } from './common/logging/logging.module';
import { ProcessModule } from './common/process/process.module';
import { RetentionModule } from './common/retention/retention.module';
import { SchedulingModule } from './common/scheduling/scheduling.module';
import { KilnConfigModule } from './config/config.module';
import { KilnConfig } from './config/kiln.config';
import { DatabaseModule } from './infra/database/database.module';
import { LockModule } from './infra/lock/lock.module';
import { JobsModule } from './infra/jobs/jobs.module';
import { RedisModule } from './infra/redis/redis.module';
import { WakeupsModule } from './infra/wakeups/wakeups.module';
import { AdminModule } from './modules/admin/admin.module';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './modules/health/health.module';
import { SchedulesModule } from './modules/schedules/schedules.module';
import { SweepsModule } from './modules/sweeps/sweeps.module';
import { PrometheusModule } from './modules/prometheus/prometheus.module';
import { INVOKE_ROUTE } from './modules/services';
import { ServicesModule } from './modules/services/services.module';
import { TasksModule } from './modules/tasks/tasks.module';
import { SystemModule } from './modules/system/system.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { SCHEMA } from './schema';

export interface AppModuleOptions {
  logging?: LoggingOptions;
  /** Extra modules mounted beside the application's own (tests use this). */
  imports?: Array<Type | DynamicModule>;
}

@Module({})
export class AppModule {
  static forRoot(config: KilnConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        KilnConfigModule.forRoot(config),
        LoggingModule.forRoot(config, options.logging, { withoutRequestLogger: [INVOKE_ROUTE] }),
        CoreModule,
        DatabaseModule.forRoot(config, SCHEMA),
        RedisModule,
        JobsModule,
        WakeupsModule,
        PrometheusModule,
        ProcessModule,
        LockModule,
        SchedulingModule,
        RetentionModule,
        HealthModule,
        AuthModule,
        AdminModule,
        TasksModule,
        SchedulesModule,
        SweepsModule,
        WebhooksModule,
        SystemModule,
        ServicesModule,
        ...(options.imports ?? []),
      ],
    };
  }
}
