// The services module's public surface: other modules import only what is exported here.
export { ServicesModule } from './services.module';
export { ServiceEventLog } from './lifecycle/service-event-log';
export type { ServiceStatusRecord } from './lifecycle/service-event-log';
export { SERVICE_STATUSES } from './lifecycle/service-status';
