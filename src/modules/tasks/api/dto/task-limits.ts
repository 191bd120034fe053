// Shape limits of a task that do not depend on config (those that do are checked by
// the tasks service against `tasks.*` config), and the validators both DTOs share.
import { applyDecorators } from '@nestjs/common';
import { IsStringMap } from '../../../../common/validation/is-string-map';
import { Omittable } from '../../../../common/validation/omittable';

export const LABEL_KEY = /^[A-Za-z0-9]([A-Za-z0-9_./-]{0,61}[A-Za-z0-9])?$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
export const MAX_LABELS = 32;
export const MAX_ENV_VARS = 128;
export const MAX_COMMAND_ARGS = 256;
export const MAX_ARG_LENGTH = 8192;
export const MAX_PRIORITY = 1000;
export const MAX_DEPENDENCIES = 32;

/** Key/value labels that may be left out (not null): at most MAX_LABELS, keys like Kubernetes label names. */
export const OptionalLabels = (): PropertyDecorator =>
  applyDecorators(
    Omittable(),
    IsStringMap({
      maxEntries: MAX_LABELS,
      keyPattern: LABEL_KEY,
      keyRule: 'are 1-63 letters, digits, _ . / -',
      maxValueLength: 255,
    }),
  );
