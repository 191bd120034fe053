// The port through which the services module puts its events on GET /api/v1/events. The
// tasks module serves the feed but may not import the services module (which depends on
// it), so services registers its source here at start-up.
import { Injectable } from '@nestjs/common';
import type { LogSubscription } from '../../../common/events/polled-log-feed';

/** A service's status, as the feed names it (services owns the list). */
export const SERVICE_FEED_STATUSES = [
  'deploying',
  'ready',
  'degraded',
  'failed',
  'stopping',
  'stopped',
] as const;
export type ServiceFeedStatus = (typeof SERVICE_FEED_STATUSES)[number];

/** The event names of service events: `service.<status it moved to>`, or `service.scaled`. */
export const SERVICE_FEED_KINDS = [
  ...SERVICE_FEED_STATUSES.map((status) => `service.${status}` as const),
  'service.scaled',
] as const;
export type ServiceFeedKind = (typeof SERVICE_FEED_KINDS)[number];

export interface ServiceFeedRecord {
  /** Increasing; the position in the service event log. */
  id: number;
  kind: ServiceFeedKind;
  serviceId: string;
  /** Null once the service is deleted. */
  serviceName: string | null;
  ownerId: string;
  from: ServiceFeedStatus | null;
  to: ServiceFeedStatus;
  /** The replicas wanted from then on, for `service.scaled`; null otherwise. */
  replicas: number | null;
  revision: number;
  actor: string;
  reason: string | null;
  occurredAt: Date;
}

export interface ServiceEventSource {
  follow(listener: (record: ServiceFeedRecord) => void): Promise<LogSubscription>;
  /** Records after `afterId`, oldest first. */
  replay(afterId: number): Promise<ServiceFeedRecord[]>;
}

/** A feed with nothing on it, while no services module runs. */
const NO_SERVICES: ServiceEventSource = {
  follow: () => Promise.resolve({ position: 0, unsubscribe: () => undefined }),
  replay: () => Promise.resolve([]),
};

@Injectable()
export class ServiceEventPort {
  private registered: ServiceEventSource = NO_SERVICES;

  register(source: ServiceEventSource): void {
    this.registered = source;
  }

  get source(): ServiceEventSource {
    return this.registered;
  }
}
