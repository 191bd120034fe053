// The webhooks that hear each owner's events, read once per outbox pass: a pass reads
// up to hundreds of events, mostly of a few owners, and a read per event was most of
// its cost.
import { Webhook } from '../webhook.entity';
import { WebhooksRepository } from '../webhooks.repository';
import { WebhookEventType } from './webhook-events';

export class WebhookListeners {
  private readonly byOwner = new Map<string, Promise<Webhook[]>>();

  constructor(private readonly webhooks: WebhooksRepository) {}

  async of(ownerId: string, event: WebhookEventType): Promise<Webhook[]> {
    let enabled = this.byOwner.get(ownerId);
    if (!enabled) {
      enabled = this.webhooks.enabledFor(ownerId);
      this.byOwner.set(ownerId, enabled);
    }
    // a JSON column filters alike on both databases only in code; the list is short
    return (await enabled).filter(
      (webhook) => webhook.events === null || webhook.events.includes(event),
    );
  }
}
