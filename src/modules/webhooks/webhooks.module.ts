import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import { AuthModule } from '../auth';
import { SchedulesModule } from '../schedules';
import { ServicesModule } from '../services';
import { TasksModule } from '../tasks';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryRetention } from './delivery-retention';
import { WebhookOutbox } from './delivery/webhook-outbox';
import { WebhookSender } from './delivery/webhook-sender';
import { WebhookTargetGuard } from './delivery/webhook-target.guard';
import { WebhookAttempt } from './webhook-attempt.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookOutboxPosition } from './webhook-outbox-position.entity';
import { Webhook } from './webhook.entity';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/**
 * Outgoing webhooks about tasks, schedules and services: subscriptions, signed deliveries
 * with retries, the delivery log.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Webhook, WebhookDelivery, WebhookAttempt, WebhookOutboxPosition]),
    AuthModule,
    AuditModule,
    TasksModule,
    SchedulesModule,
    ServicesModule,
  ],
  controllers: [WebhooksController],
  providers: [
    WebhooksRepository,
    DeliveriesRepository,
    WebhookTargetGuard,
    WebhookSender,
    WebhookOutbox,
    WebhooksService,
    DeliveryRetention,
  ],
})
export class WebhooksModule {}
