import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { LeaderOnlyBinder } from './leader-only.binder';
import { LeaderOnlyRunner } from './leader-only.runner';
import { ScheduledRunsPrometheus } from './scheduled-runs.prometheus';

/**
 * Cron, intervals and timeouts for the whole app (the one ScheduleModule.forRoot()),
 * with @LeaderOnly support. Needs LockModule (LEADER_LOCK) and PrometheusModule (Registry).
 */
@Module({
  imports: [ScheduleModule.forRoot(), DiscoveryModule],
  providers: [ScheduledRunsPrometheus, LeaderOnlyRunner, LeaderOnlyBinder],
  exports: [LeaderOnlyRunner],
})
export class SchedulingModule {}
