// Checks an object Kiln sends to the API server the way the server would:
// kubernetes-models validates it against the published OpenAPI schema (types, enums,
// required fields), and because those validators let unknown fields through, a strict
// walk over the OpenAPI model metadata that @kubernetes/client-node generates from the
// same spec rejects any field the schema does not name.
import * as k8s from '@kubernetes/client-node';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';

interface AttributeType {
  baseName: string;
  type: string;
}

type ModelClass = { getAttributeTypeMap(): AttributeType[] };

const SCALARS = new Set(['string', 'number', 'boolean', 'Date', 'any', 'IntOrString', 'object']);
const MODELS: Record<string, { typeName: string; validate(object: object): void }> = {
  Job: { typeName: 'V1Job', validate: (object) => new Job(object).validate() },
  Secret: { typeName: 'V1Secret', validate: (object) => new Secret(object).validate() },
  Deployment: {
    typeName: 'V1Deployment',
    validate: (object) => new Deployment(object).validate(),
  },
  Service: { typeName: 'V1Service', validate: (object) => new Service(object).validate() },
};

/** Throws, naming the problem, unless the API server would accept `object`. */
export function assertValidKubeObject(object: { kind?: string }): void {
  const model = MODELS[object.kind ?? ''];
  if (!model) throw new Error(`no schema registered for kind ${object.kind}`);
  model.validate(object);
  const unknown = unknownFields(object, model.typeName);
  if (unknown.length > 0) throw new Error(`fields unknown to the schema: ${unknown.join(', ')}`);
}

/** Paths of the fields of `value` that the OpenAPI type `typeName` does not define. */
export function unknownFields(value: unknown, typeName: string, path = ''): string[] {
  if (value === null || value === undefined || SCALARS.has(typeName)) return [];
  const array = /^Array<(.+)>$/.exec(typeName);
  if (array) {
    return Array.isArray(value)
      ? value.flatMap((item, i) => unknownFields(item, array[1], `${path}[${i}]`))
      : [];
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(typeName);
  if (map) {
    return Object.entries(value).flatMap(([key, item]) =>
      unknownFields(item, map[1], `${path}.${key}`),
    );
  }
  const model = (k8s as unknown as Record<string, ModelClass | undefined>)[typeName];
  if (!model?.getAttributeTypeMap) throw new Error(`unknown OpenAPI type ${typeName} at ${path}`);
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  return Object.entries(value).flatMap(([key, item]) => {
    const type = attributes.get(key);
    return type === undefined ? [`${path}.${key}`] : unknownFields(item, type, `${path}.${key}`);
  });
}
