import { Module, OnModuleInit } from '@nestjs/common';
import { RetentionRegistry } from '../../common/retention/retention-registry';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth';
import { TASKS_RETENTION_SUBJECT, TasksModule } from '../tasks';
import { ScheduleClock } from './schedule-clock';
import { ScheduleFire } from './schedule-fire.entity';
import { ScheduleFireLog } from './schedule-fire-log';
import { ScheduleFirer } from './schedule-firer';
import { ScheduleTicker } from './schedule-ticker';
import { Schedule } from './schedule.entity';
import { ScheduleRepository } from './schedule.repository';
import { SchedulesController } from './schedules.controller';
import { SchedulesPrometheus } from './schedules.prometheus';
import { SchedulesService } from './schedules.service';

/** Cron schedules that submit tasks from a template, each time exactly once. */
@Module({
  imports: [TypeOrmModule.forFeature([Schedule, ScheduleFire]), TasksModule, AuthModule],
  controllers: [SchedulesController],
  providers: [
    ScheduleClock,
    ScheduleFirer,
    ScheduleRepository,
    ScheduleTicker,
    SchedulesService,
    SchedulesPrometheus,
    ScheduleFireLog,
  ],
  exports: [ScheduleFireLog],
})
export class SchedulesModule implements OnModuleInit {
  constructor(
    private readonly retention: RetentionRegistry,
    private readonly schedules: ScheduleRepository,
  ) {}

  onModuleInit(): void {
    // a live schedule's latest task decides its next Forbid or Replace: keep it
    this.retention.hold(TASKS_RETENTION_SUBJECT, () => this.schedules.liveLastTaskIds());
  }
}
