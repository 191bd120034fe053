import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth';
import { TasksModule } from '../tasks';
import { ScheduleClock } from './schedule-clock';
import { ScheduleFire } from './schedule-fire.entity';
import { ScheduleFirer } from './schedule-firer';
import { ScheduleTicker } from './schedule-ticker';
import { Schedule } from './schedule.entity';
import { ScheduleRepository } from './schedule.repository';
import { SchedulesController } from './schedules.controller';
import { SchedulesService } from './schedules.service';

/** Cron schedules that submit tasks from a template, each time exactly once. */
@Module({
  imports: [TypeOrmModule.forFeature([Schedule, ScheduleFire]), TasksModule, AuthModule],
  controllers: [SchedulesController],
  providers: [ScheduleClock, ScheduleFirer, ScheduleRepository, ScheduleTicker, SchedulesService],
})
export class SchedulesModule {}
