// Binds config fields to the environment variables that override them, so a knob's
// key, env name, type and validation live on one line of the schema.
import 'reflect-metadata';
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDefined, ValidateNested } from 'class-validator';

const ENV_FIELDS = Symbol('kiln:config-env-fields');
const SECTION_FIELDS = Symbol('kiln:config-section-fields');

type Constructor = abstract new (...args: never[]) => object;

export interface EnvBinding {
  /** Dotted path of the key in the YAML files and the config object, e.g. `database.url`. */
  path: string;
  /** The environment variable that overrides it, e.g. `KILN_DATABASE_URL`. */
  variable: string;
  /** Runtime type of the field, used to convert the variable's text. */
  kind: 'string' | 'number' | 'boolean' | 'string[]';
}

/** Marks a config field as overridable by the environment variable `variable`. */
export function Env(variable: string): PropertyDecorator {
  return (target, propertyKey) => {
    const fields: Map<string, string> = Reflect.getMetadata(ENV_FIELDS, target) ?? new Map();
    fields.set(String(propertyKey), variable);
    Reflect.defineMetadata(ENV_FIELDS, fields, target);
  };
}

/** Marks a field as a nested config section of class `type`. */
export function Section(type: () => Constructor): PropertyDecorator {
  const record: PropertyDecorator = (target, propertyKey) => {
    const sections: Map<string, () => Constructor> =
      Reflect.getMetadata(SECTION_FIELDS, target) ?? new Map();
    sections.set(String(propertyKey), type);
    Reflect.defineMetadata(SECTION_FIELDS, sections, target);
  };
  return applyDecorators(IsDefined(), ValidateNested(), Type(type), record);
}

/** Every environment binding of a config class and its sections, depth first. */
export function envBindings(root: Constructor, prefix = ''): EnvBinding[] {
  const proto = root.prototype as object;
  const fields: Map<string, string> = Reflect.getMetadata(ENV_FIELDS, proto) ?? new Map();
  const sections: Map<string, () => Constructor> =
    Reflect.getMetadata(SECTION_FIELDS, proto) ?? new Map();
  const own = [...fields].map(([key, variable]) => ({
    path: prefix + key,
    variable,
    kind: kindOf(proto, key),
  }));
  const nested = [...sections].flatMap(([key, type]) => envBindings(type(), `${prefix}${key}.`));
  return [...own, ...nested];
}

function kindOf(proto: object, key: string): EnvBinding['kind'] {
  const designType: unknown = Reflect.getMetadata('design:type', proto, key);
  if (designType === Number) return 'number';
  if (designType === Boolean) return 'boolean';
  if (designType === Array) return 'string[]';
  return 'string';
}
