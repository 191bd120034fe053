import { ApiProperty } from '@nestjs/swagger';

/** Terminus's overall statuses, in a fixed order for the committed spec. */
const HEALTH_STATUSES = ['ok', 'degraded', 'error', 'shutting_down'] as const;

export class HealthResponse {
  // Listed by hand: the Swagger plugin writes a union's members in the compiler's type
  // order, which differs between a fresh and an incremental build, so the spec check
  // would flap.
  @ApiProperty({ enum: HEALTH_STATUSES, description: '`ok` when every check passed.' })
  status: (typeof HEALTH_STATUSES)[number];
  /** Each check by name, with its status (`up` or `down`) and any message. */
  details: Record<string, { status: string; [key: string]: unknown }>;
}
