import { ApiProperty } from '@nestjs/swagger';
import {
  SERVICE_FEED_KINDS,
  SERVICE_FEED_STATUSES,
  ServiceFeedKind,
  ServiceFeedStatus,
} from '../../events/service-event-port';

/**
 * A service event on the live feed (`GET /api/v1/events`), named by its kind: the status
 * the service moved to (`service.deploying` when a rollout starts, `service.degraded`
 * when a replica crashed or restarts, `service.ready`, ...), or `service.scaled`.
 */
export class ServiceFeedEventResponse {
  /** The position in the service event log. */
  @ApiProperty({ type: 'integer' })
  id: number;
  /** The event's name, as on the stream. */
  @ApiProperty({ enum: SERVICE_FEED_KINDS })
  kind: ServiceFeedKind;
  @ApiProperty({ format: 'uuid' })
  serviceId: string;
  /** Null once the service is deleted. */
  serviceName: string | null;
  @ApiProperty({ format: 'uuid' })
  ownerId: string;
  @ApiProperty({ enum: [...SERVICE_FEED_STATUSES, null], nullable: true })
  from: ServiceFeedStatus | null;
  @ApiProperty({ enum: SERVICE_FEED_STATUSES })
  to: ServiceFeedStatus;
  /** The replicas wanted from then on, for `service.scaled`; null otherwise. */
  @ApiProperty({ type: 'integer', nullable: true })
  replicas: number | null;
  /** The revision being rolled out then. */
  @ApiProperty({ type: 'integer' })
  revision: number;
  /** A user id, or `system` for the reconciler. */
  actor: string;
  reason: string | null;
  occurredAt: Date;
}
