// The schedules module's public surface.
export { SchedulesModule } from './schedules.module';
