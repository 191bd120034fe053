// The webhooks module's retention rule: deliveries that ended more than
// KILN_RETENTION_WEBHOOK_DELIVERY_DAYS ago go, with their tries (the delivery log). A
// pending delivery stays whatever its age: it is still owed to its receiver.
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { RetentionRegistry } from '../../common/retention/retention-registry';
import { KilnConfig } from '../../config/kiln.config';
import { DeliveriesRepository } from './deliveries.repository';

const DAY_MS = 86_400_000;

@Injectable()
export class DeliveryRetention implements OnModuleInit {
  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly registry: RetentionRegistry,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  onModuleInit(): void {
    const days = this.config.retention.webhookDeliveryDays;
    if (days === 0) return;
    this.registry.register({
      name: 'webhook-deliveries',
      purgeBatch: (limit, statements) =>
        this.deliveries.deleteEndedBefore(new Date(Date.now() - days * DAY_MS), limit, statements),
    });
  }
}
