import { ApiProperty } from '@nestjs/swagger';
import { AuditAction } from '../audit-action';

export class AuditActorResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  /** The username at the time of the action. */
  username: string | null;
}

export class AuditTargetResponse {
  /** What kind of thing was acted on: `user`, `queue`, `api-token`, … */
  type: string;
  id: string;
}

/** One audited action. */
export class AuditEntryResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  /** ISO-8601 UTC. */
  @ApiProperty({ format: 'date-time' })
  occurredAt: string;
  @ApiProperty({ enum: AuditAction })
  action: string;
  /** Null for anonymous attempts such as a failed login. */
  @ApiProperty({ type: AuditActorResponse, nullable: true })
  actor: AuditActorResponse | null;
  @ApiProperty({ type: AuditTargetResponse, nullable: true })
  target: AuditTargetResponse | null;
  ip: string | null;
  requestId: string | null;
  /** Context of the action; for changes, `before` and `after`. */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  details: Record<string, unknown> | null;
}

export class AuditPageResponse {
  items: AuditEntryResponse[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}
