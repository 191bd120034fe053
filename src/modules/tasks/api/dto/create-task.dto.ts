import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsStringMap } from '../../../../common/validation/is-string-map';
import {
  ENV_NAME,
  MAX_ARG_LENGTH,
  MAX_COMMAND_ARGS,
  MAX_DEPENDENCIES,
  MAX_ENV_VARS,
} from './task-limits';
import { EditableTaskFields } from './editable-task-fields.dto';
import { ResourcesDto } from './resources.dto';

export class CreateTaskDto extends EditableTaskFields {
  // On a submit a null description or priority counts as left out. Both are re-declared
  // only to say so; TypeScript wants an initializer on a re-declared field.
  @IsOptional()
  override description?: string = undefined;

  /** A queue from config; the default queue when absent. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  queue?: string;

  @IsOptional()
  @ApiPropertyOptional({ type: 'integer', description: 'Higher runs first.', default: 0 })
  override priority?: number = undefined;

  /** argv, run without a shell; with `shell: true`, exactly one string for /bin/sh -c. */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_COMMAND_ARGS)
  @IsString({ each: true })
  @MaxLength(MAX_ARG_LENGTH, { each: true })
  command: string[];

  @IsOptional()
  @IsBoolean()
  shell?: boolean;

  /** Container image, for container executors (Kubernetes). */
  @IsOptional()
  @IsString()
  @Matches(/^[\w.\-/:@]{1,512}$/, { message: 'must be an image reference' })
  image?: string;

  /** Relative to the run directory; may not leave it. */
  @IsOptional()
  @IsString()
  @Matches(/^(?!\/)(?!.*(^|\/)\.\.(\/|$)).{1,1024}$/, {
    message: 'must be a relative path that stays inside the run directory',
  })
  workingDir?: string;

  /** Extra environment; names starting with KILN_ are reserved. */
  @IsOptional()
  @IsStringMap({
    maxEntries: MAX_ENV_VARS,
    keyPattern: ENV_NAME,
    keyRule: 'are environment variable names',
    maxValueLength: 16384,
  })
  env?: Record<string, string>;

  /** Any JSON object; written to hyperparameters.json and KILN_HPARAMS. */
  @IsOptional()
  @IsObject()
  hyperparameters?: Record<string, unknown>;

  @IsOptional()
  @ValidateNested()
  @Type(() => ResourcesDto)
  resources?: ResourcesDto;

  /** Automatic retries after a failed attempt; default 0. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20)
  @ApiPropertyOptional({ type: 'integer' })
  maxRetries?: number;

  /** First wait before an automatic retry; doubles each time, with jitter. Default 10. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86400)
  @ApiPropertyOptional({ type: 'integer' })
  retryBackoffSeconds?: number;

  /** Wall-clock limit of one attempt; past it the run is stopped and the task times out. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30 * 86400)
  @ApiPropertyOptional({ type: 'integer' })
  timeoutSeconds?: number;

  /** Tasks that must succeed before this one starts; if one ends otherwise, this one fails. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_DEPENDENCIES)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  dependsOn?: string[];

  /** Exit codes that fail the task at once instead of retrying. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(255, { each: true })
  @ApiPropertyOptional({ type: 'integer', isArray: true })
  noRetryExitCodes?: number[];
}
