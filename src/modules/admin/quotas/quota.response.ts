import { ApiProperty } from '@nestjs/swagger';

export class QuotaLimitsResponse {
  /** Runs at once (queued, running, cancelling). */
  @ApiProperty({ type: 'integer' })
  maxRunning: number;
  /** GPUs held at once by the user's runs. */
  @ApiProperty({ type: 'integer' })
  maxGpus: number;
  /** Pending tasks; past it a submit answers 429. */
  @ApiProperty({ type: 'integer' })
  maxPending: number;
}

/** The user's own settings; null keeps the default. */
export class QuotaOverridesResponse {
  @ApiProperty({ type: 'integer', nullable: true })
  maxRunning: number | null;
  @ApiProperty({ type: 'integer', nullable: true })
  maxGpus: number | null;
  @ApiProperty({ type: 'integer', nullable: true })
  maxPending: number | null;
}

export class QuotaUsageResponse {
  /**
   * What counts against maxRunning: task runs holding a slot (queued, running,
   * cancelling) and the wanted replicas of the user's model services.
   */
  @ApiProperty({ type: 'integer' })
  running: number;
  /** What counts against maxGpus: the GPUs of those runs and replicas. */
  @ApiProperty({ type: 'integer' })
  gpus: number;
  @ApiProperty({ type: 'integer' })
  pending: number;
  /** The model services' part of `running`. */
  @ApiProperty({ type: 'integer' })
  serviceReplicas: number;
  /** The model services' part of `gpus` (replicas × GPUs per replica). */
  @ApiProperty({ type: 'integer' })
  serviceGpus: number;
}

export class UserQuotaResponse {
  @ApiProperty({ format: 'uuid' })
  userId: string;
  overrides: QuotaOverridesResponse;
  /** What the dispatcher and submit apply: the override where set, else the default. */
  effective: QuotaLimitsResponse;
  usage: QuotaUsageResponse;
}

export class QuotaListResponse {
  /** The limits of a user without overrides (config `tasks.userLimits`). */
  defaults: QuotaLimitsResponse;
  /** Every user with an override or with tasks that count against a quota. */
  items: UserQuotaResponse[];
}
