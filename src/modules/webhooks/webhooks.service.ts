// Webhook subscriptions: a user's own (their tasks), or an admin's for every task. A
// webhook is visible to its owner and to admins only: its URL may carry a token.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../../common/errors/domain-error';
import { AuditAction, AuditLogService, RequestOrigin } from '../audit';
import { ForbiddenError, OwnershipPolicy, Principal, Role } from '../auth';
import { DeliveriesRepository } from './deliveries.repository';
import { WebhookSender } from './delivery/webhook-sender';
import { pingPayload } from './delivery/webhook-payloads';
import { newWebhookSecret } from './delivery/webhook-signature';
import { WebhookTargetGuard } from './delivery/webhook-target.guard';
import { WebhookDelivery } from './webhook-delivery.entity';
import { Webhook } from './webhook.entity';
import { WebhooksRepository } from './webhooks.repository';
import { CreatedWebhookResponse, DeliveryResponse, WebhookResponse } from './dto/webhook.response';
import { deliveryResponsesOf, webhookResponseOf } from './webhook.mapper';

export interface NewWebhook {
  url: string;
  events?: string[];
  statuses?: string[];
  allTasks?: boolean;
}

export interface WebhookChanges {
  url?: string;
  events?: string[] | null;
  statuses?: string[] | null;
  enabled?: boolean;
}

@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly sender: WebhookSender,
    private readonly targets: WebhookTargetGuard,
    private readonly ownership: OwnershipPolicy,
    private readonly audit: AuditLogService,
  ) {}

  async create(
    principal: Principal,
    input: NewWebhook,
    origin: RequestOrigin,
  ): Promise<CreatedWebhookResponse> {
    this.ownership.assertCanCreate(principal);
    if (input.allTasks && !isAdmin(principal)) {
      throw new ForbiddenError('Only admins may subscribe to every user’s events.');
    }
    await this.targets.assertAllowed(input.url);
    const now = new Date();
    const webhook = Object.assign(new Webhook(), {
      id: randomUUID(),
      ownerId: principal.userId,
      url: input.url,
      secret: newWebhookSecret(),
      allTasks: input.allTasks ?? false,
      events: input.events ?? null,
      statuses: input.statuses ?? null,
      enabled: true,
      disabledReason: null,
      consecutiveFailures: 0,
      createdAt: now,
      updatedAt: now,
    });
    await this.webhooks.insert(webhook);
    await this.record(AuditAction.WebhookCreated, principal, webhook.id, origin, {
      after: settingsOf(webhook),
    });
    return { ...webhookResponseOf(webhook), secret: webhook.secret };
  }

  async list(principal: Principal): Promise<WebhookResponse[]> {
    const rows = await this.webhooks.list(isAdmin(principal) ? undefined : principal.userId);
    return rows.map(webhookResponseOf);
  }

  async get(principal: Principal, id: string): Promise<WebhookResponse> {
    return webhookResponseOf(await this.find(principal, id));
  }

  async update(
    principal: Principal,
    id: string,
    changes: WebhookChanges,
    origin: RequestOrigin,
  ): Promise<WebhookResponse> {
    const before = await this.find(principal, id);
    this.ownership.assertCanCreate(principal);
    if (changes.url !== undefined) await this.targets.assertAllowed(changes.url);
    const patch: Partial<Webhook> = {};
    if (changes.url !== undefined) patch.url = changes.url;
    if (changes.events !== undefined) patch.events = changes.events;
    if (changes.statuses !== undefined) patch.statuses = changes.statuses;
    if (changes.enabled !== undefined) {
      patch.enabled = changes.enabled;
      patch.disabledReason = null;
      if (changes.enabled) patch.consecutiveFailures = 0;
    }
    await this.webhooks.update(id, patch);
    const after = await this.find(principal, id);
    await this.record(AuditAction.WebhookUpdated, principal, id, origin, {
      before: settingsOf(before),
      after: settingsOf(after),
    });
    return webhookResponseOf(after);
  }

  async delete(principal: Principal, id: string, origin: RequestOrigin): Promise<void> {
    const webhook = await this.find(principal, id);
    this.ownership.assertCanCreate(principal);
    await this.webhooks.delete(id);
    await this.record(AuditAction.WebhookDeleted, principal, id, origin, {
      before: settingsOf(webhook),
    });
  }

  async deliveriesOf(principal: Principal, id: string, limit: number): Promise<DeliveryResponse[]> {
    await this.find(principal, id);
    const deliveries = await this.deliveries.forWebhook(id, limit);
    const attempts = await this.deliveries.attemptsOf(deliveries.map((d) => d.id));
    return deliveryResponsesOf(deliveries, attempts);
  }

  /** Sends a `ping` event now, to test a receiver. */
  async ping(principal: Principal, id: string): Promise<DeliveryResponse> {
    const webhook = await this.find(principal, id);
    const deliveryId = randomUUID();
    const delivery = Object.assign(new WebhookDelivery(), {
      id: deliveryId,
      webhookId: webhook.id,
      event: 'ping',
      taskId: null,
      eventId: null,
      payload: pingPayload(deliveryId, webhook.id),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await this.deliveries.insert(delivery);
    await this.sender.enqueue(deliveryId);
    return deliveryResponsesOf([delivery], [])[0];
  }

  /** Sends a delivery again with its id and body, whatever its status. */
  async redeliver(principal: Principal, id: string, deliveryId: string): Promise<DeliveryResponse> {
    await this.find(principal, id);
    const delivery = await this.deliveries.one(deliveryId);
    if (!delivery || delivery.webhookId !== id) throw new NotFoundError('Delivery not found.');
    await this.deliveries.setStatus(deliveryId, 'pending');
    await this.sender.enqueue(deliveryId);
    const attempts = await this.deliveries.attemptsOf([deliveryId]);
    return deliveryResponsesOf([{ ...delivery, status: 'pending' }], attempts)[0];
  }

  private async find(principal: Principal, id: string): Promise<Webhook> {
    const webhook = await this.webhooks.one(id);
    if (!webhook || !(isAdmin(principal) || webhook.ownerId === principal.userId)) {
      throw new NotFoundError('Webhook not found.');
    }
    return webhook;
  }

  private record(
    action: AuditAction,
    actor: Principal,
    webhookId: string,
    origin: RequestOrigin,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({
      action,
      actor: { id: actor.userId, username: actor.username },
      target: { type: 'webhook', id: webhookId },
      origin,
      details,
    });
  }
}

function isAdmin(principal: Principal): boolean {
  return principal.roles.includes(Role.Admin);
}

/** What the audit log keeps of a webhook: never its secret. */
function settingsOf(webhook: Webhook): Record<string, unknown> {
  const { url, events, statuses, allTasks, enabled, ownerId } = webhook;
  return { url, events, statuses, allTasks, enabled, ownerId };
}
