// The JSON bodies a receiver gets. `id` is the delivery id, stable across retries and
// redelivers, for de-duplication.
import type { ScheduleFireRecord } from '../../schedules';
import type { ServiceStatusRecord } from '../../services';
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

/** `schedule.fired` (a task was submitted) or `schedule.failed` (the submit was refused). */
export function scheduleFirePayload(
  deliveryId: string,
  fire: ScheduleFireRecord,
): Record<string, unknown> {
  return {
    id: deliveryId,
    type: scheduleEventOf(fire),
    occurredAt: fire.firedAt.toISOString(),
    data: {
      scheduleId: fire.scheduleId,
      scheduleName: fire.scheduleName,
      ownerId: fire.ownerId,
      scheduledAt: fire.scheduledAt.toISOString(),
      taskId: fire.taskId,
      reason: fire.reason,
      fireId: fire.id,
    },
  };
}

export function scheduleEventOf(fire: ScheduleFireRecord): 'schedule.fired' | 'schedule.failed' {
  return fire.outcome === 'submitted' ? 'schedule.fired' : 'schedule.failed';
}

/**
 * `service.status` (the status moved `from` → `to`) or `service.scaled` (the wanted
 * `replicas` changed; `from` and `to` are the unchanged status).
 */
export function serviceEventPayload(
  deliveryId: string,
  type: 'service.status' | 'service.scaled',
  event: ServiceStatusRecord,
): Record<string, unknown> {
  return {
    id: deliveryId,
    type,
    occurredAt: event.occurredAt.toISOString(),
    data: {
      serviceId: event.serviceId,
      serviceName: event.serviceName,
      ownerId: event.ownerId,
      from: event.from,
      to: event.to,
      revision: event.revision,
      ...(type === 'service.scaled' ? { replicas: event.replicas } : {}),
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
