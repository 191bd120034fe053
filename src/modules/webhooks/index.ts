// The webhooks module's public surface.
export { WebhooksModule } from './webhooks.module';
export { WEBHOOK_JOB_QUEUE } from './delivery/delivery-job';
