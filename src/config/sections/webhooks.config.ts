import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { Env } from '../env.decorator';

/** Outgoing webhook deliveries (see the README, "Webhooks"). */
export class WebhooksConfig {
  /**
   * Allow targets that resolve to loopback, private, link-local or cloud metadata
   * addresses. Off in production: a user could otherwise make Kiln call its own network.
   */
  @Env('KILN_WEBHOOK_ALLOW_PRIVATE_TARGETS')
  @IsBoolean()
  allowPrivateTargets: boolean;

  /** Tries of one delivery, the first included. */
  @Env('KILN_WEBHOOK_MAX_ATTEMPTS')
  @IsInt()
  @Min(1)
  @Max(20)
  maxAttempts: number;

  /** Wait before the first retry; the job queue doubles it after each failed try. */
  @Env('KILN_WEBHOOK_BACKOFF_MS')
  @IsInt()
  @Min(1)
  backoffMs: number;

  /** No wait between two tries of a delivery is longer than this. */
  @Env('KILN_WEBHOOK_BACKOFF_MAX_MS')
  @IsInt()
  @Min(1)
  backoffMaxMs: number;

  /** Time a receiver gets to answer one request. */
  @Env('KILN_WEBHOOK_TIMEOUT_MS')
  @IsInt()
  @Min(100)
  @Max(120_000)
  timeoutMs: number;

  /** Deliveries in a row that end `failed` before the webhook is disabled. */
  @Env('KILN_WEBHOOK_DISABLE_AFTER_FAILURES')
  @IsInt()
  @Min(1)
  disableAfterFailures: number;
}
