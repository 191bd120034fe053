import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsIn,
  IsInt,
  IsOptional,
  IsNumber,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Env, Section } from '../env.decorator';

/** What a task gets for each resource its submit leaves out; unset fields keep these values. */
export class QueueResourceDefaults {
  /** CPU cores, in steps of 0.001. */
  @IsNumber({ maxDecimalPlaces: 3, allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(512)
  cpu: number = 1;

  /** Memory in MiB. */
  @IsInt()
  @Min(1)
  @Max(4_194_304)
  memoryMiB: number = 1024;

  @IsInt()
  @Min(0)
  @Max(64)
  gpu: number = 0;
}

/** A named queue: which runtime runs its tasks and how many at once. */
export class TaskQueueConfig {
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'must be a lower-case name of 1-63 chars' })
  name: string;

  /** `local` or `kubernetes` (formerly the key `executor`). */
  @IsIn(['local', 'kubernetes'])
  runtime: string;

  /** Runs of this queue at once (queued + running + cancelling). */
  @IsInt()
  @Min(1)
  maxRunning: number;

  /** GPUs this queue may hand out at once. */
  @IsInt()
  @Min(0)
  maxGpus: number;

  /**
   * Roles that may submit to this queue. Unset, a `local` queue takes every role while
   * local runs are isolated and admins only while they are not; other queues every role.
   */
  @IsOptional()
  @IsIn(['admin', 'member', 'viewer'], { each: true })
  allowedRoles?: string[];
  /** Resources of a task that leaves some out (cpu 1, memoryMiB 1024, gpu 0 if unset). */
  @ValidateNested()
  @Type(() => QueueResourceDefaults)
  defaultResources: QueueResourceDefaults = new QueueResourceDefaults();
}

/** Limits of one user, unless the user_quotas table overrides them. */
export class UserLimitsConfig {
  @Env('KILN_USER_MAX_RUNNING')
  @IsInt()
  @Min(1)
  maxRunning: number;

  @Env('KILN_USER_MAX_GPUS')
  @IsInt()
  @Min(0)
  maxGpus: number;

  /** Pending tasks a user may have waiting; past it a submit answers 429. */
  @Env('KILN_USER_MAX_PENDING')
  @IsInt()
  @Min(1)
  maxPending: number;
}

export class TasksConfig {
  /** Queues, from YAML only (a list does not fit one variable). */
  @ValidateNested({ each: true })
  @Type(() => TaskQueueConfig)
  @ArrayMinSize(1)
  queues: TaskQueueConfig[];

  /** The queue of a task that names none. */
  @Env('KILN_DEFAULT_QUEUE')
  @IsString()
  defaultQueue: string;

  @Section(() => UserLimitsConfig)
  userLimits: UserLimitsConfig;

  /** Pending tasks of all users together; past it a submit answers 429. */
  @Env('KILN_TASKS_MAX_PENDING')
  @IsInt()
  @Min(1)
  maxPendingTotal: number;

  /** Launch jobs processed at once by one worker process. */
  @Env('KILN_LAUNCH_CONCURRENCY')
  @IsInt()
  @Min(1)
  @Max(256)
  launchConcurrency: number;

  /** A queued task not launched for this long gets its launch job sent again. */
  @Env('KILN_REQUEUE_AFTER_SECONDS')
  @IsInt()
  @Min(1)
  requeueAfterSeconds: number;

  /** A running task whose launch never recorded a handle for this long is lost. */
  @Env('KILN_LAUNCH_GRACE_SECONDS')
  @IsInt()
  @Min(1)
  launchGraceSeconds: number;

  /** Cap of the backoff between automatic retries. */
  @Env('KILN_RETRY_BACKOFF_CAP_SECONDS')
  @IsInt()
  @Min(1)
  retryBackoffCapSeconds: number;

  /** Lost runs retried without spending one of the task's retries. */
  @Env('KILN_MAX_LOST_RETRIES')
  @IsInt()
  @Min(0)
  maxLostRetries: number;

  /**
   * Time a run gets between SIGTERM (or Job deletion) and the forced stop when its task
   * is cancelled or times out, on any executor. The local executor's own stops (Kiln
   * shutting down, a run discarded) use executors.local.stopGraceMs.
   */
  @Env('KILN_TASK_STOP_GRACE_MS')
  @IsInt()
  @Min(0)
  stopGraceMs: number;

  /** KILN_API_URL given to runs; empty means http://127.0.0.1:<PORT>. */
  @Env('KILN_API_URL')
  @Matches(/^$|^https?:\/\/.+/, { message: 'must be an http:// or https:// URL' })
  apiUrl: string;

  /** Largest `env` of a task, as JSON bytes. */
  @Env('KILN_TASK_MAX_ENV_BYTES')
  @IsInt()
  @Min(1)
  maxEnvBytes: number;

  /** Largest `hyperparameters` of a task, as JSON bytes. */
  @Env('KILN_TASK_MAX_HPARAMS_BYTES')
  @IsInt()
  @Min(1)
  maxHyperparametersBytes: number;
}
