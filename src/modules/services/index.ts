// The services module's public surface: other modules import only what is exported here.
export { ServicesModule } from './services.module';
export { INVOKE_ROUTE } from './invoke/invoke.controller';
export { ServiceEventLog } from './lifecycle/service-event-log';
export type { ServiceStatusRecord } from './lifecycle/service-event-log';
export { SERVICE_STATUSES } from './lifecycle/service-status';
