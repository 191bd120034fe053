// Shape limits of a service spec and the validators its DTOs share.
import { applyDecorators } from '@nestjs/common';
import { IsStringMap } from '../../../../common/validation/is-string-map';
import { Omittable } from '../../../../common/validation/omittable';

/** A DNS label (RFC 1123): it names the endpoint and, on Kubernetes, the Deployment. */
export const SERVICE_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const LABEL_KEY = /^[A-Za-z0-9]([A-Za-z0-9_./-]{0,61}[A-Za-z0-9])?$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
export const MAX_REPLICAS = 32;
export const MAX_COMMAND_ARGS = 256;
export const MAX_ARG_LENGTH = 8192;
/** An absolute URL path without a query, fragment or dot segment. */
export const HEALTH_PATH = /^\/(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._~!$&'()*+,;=:@/%-]{0,511}$/;
/** A relative path inside a run's output directory. */
export const MODEL_PATH = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[^\0]{1,1024}$/;

export const OptionalLabels = (): PropertyDecorator =>
  applyDecorators(
    Omittable(),
    IsStringMap({
      maxEntries: 32,
      keyPattern: LABEL_KEY,
      keyRule: 'are 1-63 letters, digits, _ . / -',
      maxValueLength: 255,
    }),
  );

export const OptionalEnv = (): PropertyDecorator =>
  applyDecorators(
    Omittable(),
    IsStringMap({
      maxEntries: 128,
      keyPattern: ENV_NAME,
      keyRule: 'are environment variable names',
      maxValueLength: 16384,
    }),
  );
