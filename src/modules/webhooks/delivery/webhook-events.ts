// The events a webhook can hear. `ping` is not among them: it is sent on request only.
export const WEBHOOK_EVENT_TYPES = [
  'task.status',
  'schedule.fired',
  'schedule.failed',
  'service.status',
  'service.scaled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What a delivery's `event` may be. */
export const DELIVERY_EVENTS = [...WEBHOOK_EVENT_TYPES, 'ping'] as const;
