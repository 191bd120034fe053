// class-validator checks arrays and nested classes but not free-form maps; labels and
// env are maps whose keys and values both need rules, so this decorator checks them.
import { ValidationOptions, registerDecorator } from 'class-validator';

export interface StringMapRules {
  maxEntries: number;
  keyPattern: RegExp;
  keyRule: string;
  maxValueLength: number;
}

export function IsStringMap(rules: StringMapRules, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isStringMap',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `must be an object of at most ${rules.maxEntries} entries whose keys ${rules.keyRule} and whose values are strings of at most ${rules.maxValueLength} characters`,
        ...options,
      },
      validator: { validate: (value: unknown) => isStringMap(value, rules) },
    });
}

function isStringMap(value: unknown, rules: StringMapRules): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length <= rules.maxEntries &&
    entries.every(
      ([key, item]) =>
        rules.keyPattern.test(key) &&
        typeof item === 'string' &&
        item.length <= rules.maxValueLength,
    )
  );
}
