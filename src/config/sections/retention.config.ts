import { IsInt, Max, Min } from 'class-validator';
import { Env } from '../env.decorator';

/** How long finished data is kept; `0` turns a rule off. */
export class RetentionConfig {
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

  /** Rows removed per statement, so no delete holds a table for long. */
  @Env('KILN_RETENTION_BATCH_SIZE')
  @IsInt()
  @Min(1)
  @Max(10000)
  batchSize: number;
}
