import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TaskMetricPoint } from './task-metric-point.entity';
import { TaskMetricsRepository } from './task-metrics.repository';
import { TaskMetricsService } from './task-metrics.service';
import { DEFAULT_TASK_METRICS_OPTIONS, TASK_METRICS_OPTIONS } from './task-metrics.options';

/** Metric series of task runs. The tasks module imports it and uses TaskMetricsService. */
@Module({
  imports: [TypeOrmModule.forFeature([TaskMetricPoint])],
  providers: [
    TaskMetricsRepository,
    TaskMetricsService,
    { provide: TASK_METRICS_OPTIONS, useValue: DEFAULT_TASK_METRICS_OPTIONS },
  ],
  exports: [TaskMetricsService],
})
export class TaskMetricsModule {}
