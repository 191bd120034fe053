// class-validator's @IsOptional() skips a field that is undefined *or null*, so a null
// passes every rule and reaches code that expects the field's type. A field that has
// no meaning for null (a name, a flag, a list) is @Omittable() instead: it may be left
// out, and null is checked (and refused) by its other rules.
import { ValidateIf } from 'class-validator';

export const Omittable = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);
