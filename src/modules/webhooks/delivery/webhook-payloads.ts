// The JSON bodies a receiver gets. `id` is the delivery id, stable across retries and
// redelivers, for de-duplication.
import type { TaskStatusRecord } from '../../tasks';

export function taskStatusPayload(
  deliveryId: string,
  event: TaskStatusRecord,
): Record<string, unknown> {
  return {
    id: deliveryId,
    type: 'task.status',
    occurredAt: event.occurredAt.toISOString(),
    data: {
      taskId: event.taskId,
      ownerId: event.ownerId,
      from: event.from,
      to: event.to,
      attempt: event.attempt,
      reason: event.reason,
      eventId: event.id,
    },
  };
}

export function pingPayload(deliveryId: string, webhookId: string): Record<string, unknown> {
  return {
    id: deliveryId,
    type: 'ping',
    occurredAt: new Date().toISOString(),
    data: { webhookId },
  };
}
