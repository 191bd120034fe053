// The webhooks module's public surface.
export { WebhooksModule } from './webhooks.module';
