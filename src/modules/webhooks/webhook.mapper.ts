import { WebhookAttempt } from './webhook-attempt.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { Webhook } from './webhook.entity';
import { DeliveryResponse, WebhookResponse } from './dto/webhook.response';

export function webhookResponseOf(webhook: Webhook): WebhookResponse {
  return {
    id: webhook.id,
    ownerId: webhook.ownerId,
    url: webhook.url,
    events: webhook.events,
    statuses: webhook.statuses,
    allTasks: webhook.allTasks,
    enabled: webhook.enabled,
    disabledReason: webhook.disabledReason,
    consecutiveFailures: webhook.consecutiveFailures,
    createdAt: webhook.createdAt.toISOString(),
  };
}

export function deliveryResponsesOf(
  deliveries: WebhookDelivery[],
  attempts: WebhookAttempt[],
): DeliveryResponse[] {
  return deliveries.map((delivery) => ({
    id: delivery.id,
    event: delivery.event,
    taskId: delivery.taskId,
    status: delivery.status,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
    attempts: attempts
      .filter((attempt) => attempt.deliveryId === delivery.id)
      .map((attempt) => ({
        attempt: attempt.attempt,
        statusCode: attempt.statusCode,
        durationMs: attempt.durationMs,
        error: attempt.error,
        occurredAt: attempt.occurredAt.toISOString(),
      })),
  }));
}
