import { ApiProperty } from '@nestjs/swagger';

export class KilnProcessResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: ['all', 'api', 'worker'] })
  role: string;
  host: string;
  @ApiProperty({ type: 'integer' })
  pid: number;
  version: string;
  /** Holds the leader lock: runs the dispatcher, reconciler and other leader-only loops. */
  leader: boolean;
  /** The process answering this request. */
  self: boolean;
  @ApiProperty({ format: 'date-time' })
  startedAt: string;
  @ApiProperty({ format: 'date-time' })
  lastHeartbeatAt: string;
}

export class DependencyStateResponse {
  @ApiProperty({ enum: ['up', 'down', 'not-configured'] })
  state: string;
  /** Round trip of a trivial query or PING. */
  @ApiProperty({ type: 'integer', nullable: true })
  latencyMs: number | null;
  error: string | null;
}

export class JobQueueCountsResponse {
  name: string;
  @ApiProperty({ type: 'integer' })
  waiting: number;
  @ApiProperty({ type: 'integer' })
  delayed: number;
  @ApiProperty({ type: 'integer' })
  active: number;
  @ApiProperty({ type: 'integer' })
  completed: number;
  @ApiProperty({ type: 'integer' })
  failed: number;
}

export class RunModeResponse {
  @ApiProperty({ enum: ['sqlite', 'postgres'] })
  database: string;
  @ApiProperty({ enum: ['memory', 'bullmq'] })
  jobQueue: string;
  @ApiProperty({ enum: ['memory', 'redis'] })
  wakeups: string;
}

export class BuildResponse {
  /** The git commit this build was made from; null when the build could not tell. */
  commit: string | null;
  /** The CI build's id, when the build was given one (`KILN_BUILD_ID` at build time). */
  id: string | null;
  @ApiProperty({ format: 'date-time', nullable: true })
  builtAt: string | null;
}

export class SystemResponse {
  version: string;
  /** What build of that version answers, baked in when it was built. */
  build: BuildResponse;
  /** The Node.js version of the answering process. */
  node: string;
  mode: RunModeResponse;
  /** Every process whose heartbeat is recent, oldest first. */
  processes: KilnProcessResponse[];
  database: DependencyStateResponse;
  redis: DependencyStateResponse;
  /** Job counts per job queue; empty when the job queue cannot be read. */
  jobQueues: JobQueueCountsResponse[];
}
