import { IsInt, Max, Min } from 'class-validator';
import { Env } from '../env.decorator';
import { IsCronExpression } from '../is-cron-expression';

/** How long finished data is kept; `0` turns a rule off. */
export class RetentionConfig {
  /** When retention runs (UTC), on the leader: 5 fields, or 6 with seconds first. */
  @Env('KILN_RETENTION_CRON')
  @IsCronExpression()
  cron: string;

  /** Finished tasks older than this many days go, with their rows, run directories and artifacts. */
  @Env('KILN_RETENTION_TASK_DAYS')
  @IsInt()
  @Min(0)
  @Max(36500)
  taskDays: number;

  /** Audit entries older than this many days go; longer than tasks, for investigations. */
  @Env('KILN_RETENTION_AUDIT_DAYS')
  @IsInt()
  @Min(0)
  @Max(36500)
  auditDays: number;

  /** Expired refresh tokens and ended sessions older than this many days go. */
  @Env('KILN_RETENTION_SESSION_DAYS')
  @IsInt()
  @Min(0)
  @Max(36500)
  sessionDays: number;

  /** Webhook deliveries that ended (succeeded or failed) more than this many days ago go, with their tries. */
  @Env('KILN_RETENTION_WEBHOOK_DELIVERY_DAYS')
  @IsInt()
  @Min(0)
  @Max(36500)
  webhookDeliveryDays: number;

  /** Model-service status events older than this many days go, those of deleted services too. */
  @Env('KILN_RETENTION_SERVICE_EVENT_DAYS')
  @IsInt()
  @Min(0)
  @Max(36500)
  serviceEventDays: number;

  /**
   * Revisions each model service keeps: its newest this many (the target among them) and
   * its serving one; `0` keeps them all. A task stays while a kept revision serves its model.
   */
  @Env('KILN_RETENTION_SERVICE_REVISIONS')
  @IsInt()
  @Min(0)
  @Max(100000)
  serviceRevisions: number;

  /** Rows removed per statement, so no delete holds a table for long. */
  @Env('KILN_RETENTION_BATCH_SIZE')
  @IsInt()
  @Min(1)
  @Max(10000)
  batchSize: number;
}
