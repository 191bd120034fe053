import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsNumber,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Omittable } from '../../../../common/validation/omittable';
import {
  HEALTH_PATH,
  MAX_ARG_LENGTH,
  MAX_COMMAND_ARGS,
  MAX_REPLICAS,
  MODEL_PATH,
  OptionalEnv,
  OptionalLabels,
} from './service-limits';

/** A file or directory a succeeded task's run wrote to KILN_OUTPUT_DIR. */
export class ModelReferenceDto {
  @IsUUID('4')
  taskId: string;

  /** Relative to the run's output directory: `model.json`, or `.` for all of it. */
  @IsString()
  @Matches(MODEL_PATH, { message: 'must be a relative path inside the output directory' })
  path: string;
}

export class ServiceResourcesDto {
  /** CPU cores per replica; fractions allowed (0.5), in steps of 0.001. */
  @Omittable()
  @IsNumber({ maxDecimalPlaces: 3, allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(512)
  cpu?: number;

  /** Memory per replica in MiB. */
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(4_194_304)
  @ApiPropertyOptional({ type: 'integer' })
  memoryMiB?: number;

  /** Whole GPUs per replica. */
  @Omittable()
  @IsInt()
  @Min(0)
  @Max(64)
  @ApiPropertyOptional({ type: 'integer' })
  gpu?: number;
}

/**
 * The fields a create and an update share. Those that change what replicas run
 * (model, command, image, env, resources, port, healthPath) make a new revision.
 */
export class ServiceSpecFields {
  @Omittable()
  @IsString()
  @MaxLength(4000)
  description?: string;

  /** The model to serve; null (or, on create, absent) for an image that carries its own. */
  @IsOptional()
  @ValidateNested()
  @Type(() => ModelReferenceDto)
  model?: ModelReferenceDto | null;

  /** The serving command's argv, run without a shell. Needed on `local`. */
  @Omittable()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_COMMAND_ARGS)
  @IsString({ each: true })
  @MaxLength(MAX_ARG_LENGTH, { each: true })
  command?: string[];

  /** Container image; needed on `kubernetes`. */
  @Omittable()
  @IsString()
  @Matches(/^[\w.\-/:@]{1,512}$/, { message: 'must be an image reference' })
  image?: string;

  /** Extra environment of every replica; names starting with KILN_ are reserved. */
  @OptionalEnv()
  env?: Record<string, string>;

  @Omittable()
  @ValidateNested()
  @Type(() => ServiceResourcesDto)
  resources?: ServiceResourcesDto;

  /** Replicas wanted; 0 keeps the service with nothing running. */
  @Omittable()
  @IsInt()
  @Min(0)
  @Max(MAX_REPLICAS)
  @ApiPropertyOptional({ type: 'integer', default: 1 })
  replicas?: number;

  /** The TCP port the server listens on, passed to it as PORT and KILN_SERVICE_PORT. */
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(65535)
  @ApiPropertyOptional({ type: 'integer', default: 8080 })
  port?: number;

  /** Answers 2xx once a replica can take requests. */
  @Omittable()
  @IsString()
  @Matches(HEALTH_PATH, { message: 'must be an absolute URL path such as /healthz' })
  @ApiPropertyOptional({ default: '/healthz' })
  healthPath?: string;

  @OptionalLabels()
  labels?: Record<string, string>;

  /** How long a new revision may take to become healthy before its rollout fails. */
  @Omittable()
  @IsInt()
  @Min(5)
  @Max(3600)
  @ApiPropertyOptional({ type: 'integer', default: 300 })
  rolloutTimeoutSeconds?: number;

  /** How long Kiln waits for a replica's answer to one invocation. */
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(3600)
  @ApiPropertyOptional({ type: 'integer', default: 60 })
  invokeTimeoutSeconds?: number;

  /**
   * Whether an invocation whose connection to a replica broke before any answer (the
   * replica died or stopped mid-request) is sent once more to another replica. The
   * request may then run twice, a POST included; turn it off for requests that must
   * not repeat.
   */
  @Omittable()
  @IsBoolean()
  @ApiPropertyOptional({ default: true })
  invokeRetry?: boolean;
}
