import { ApiProperty } from '@nestjs/swagger';
import { Role } from '../../auth';

export class QueueResourcesResponse {
  cpu: number;
  @ApiProperty({ type: 'integer' })
  memoryMiB: number;
  @ApiProperty({ type: 'integer' })
  gpu: number;
}

/** A queue, its settings and its live figures. */
export class QueueResponse {
  name: string;
  runtime: string;
  @ApiProperty({ type: 'integer' })
  maxRunning: number;
  @ApiProperty({ type: 'integer' })
  maxGpus: number;
  /** Null: the default rule (every role where runs are isolated, else admins). */
  @ApiProperty({ enum: Role, isArray: true, nullable: true })
  allowedRoles: Role[] | null;
  @ApiProperty({ type: 'string', format: 'uuid', isArray: true, nullable: true })
  allowedUsers: string[] | null;
  defaultResources: QueueResourcesResponse;
  paused: boolean;
  /** Priority bounds of its tasks; null: no bound. */
  @ApiProperty({ type: 'integer', nullable: true })
  minPriority: number | null;
  @ApiProperty({ type: 'integer', nullable: true })
  maxPriority: number | null;
  @ApiProperty({ type: 'integer' })
  pending: number;
  @ApiProperty({ type: 'integer' })
  queued: number;
  /** Running and cancelling. */
  @ApiProperty({ type: 'integer' })
  running: number;
  @ApiProperty({ type: 'integer' })
  gpusInUse: number;
  /** Seconds the oldest pending task has waited; null when none waits. */
  @ApiProperty({ type: 'integer', nullable: true })
  oldestWaitingSeconds: number | null;
}

export class QueueListResponse {
  items: QueueResponse[];
}

export class DrainResponse {
  /** Pending tasks cancelled. */
  @ApiProperty({ type: 'integer' })
  cancelled: number;
}
