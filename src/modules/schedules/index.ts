// The schedules module's public surface.
export { SchedulesModule } from './schedules.module';
export { ScheduleFireLog } from './schedule-fire-log';
export type { ScheduleFireRecord } from './schedule-fire-log';
