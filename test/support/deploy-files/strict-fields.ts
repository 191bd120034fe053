// Fields a manifest sets that the Kubernetes schema does not define.
import { execFileSync } from 'node:child_process';
import { ROOT, Tree, Manifest } from './deploy-files';

export interface Attribute {
  baseName: string;
  type: string;
}

export type TypeMap = Record<string, Attribute[]>;

/** Leaf types whose values kubernetes-models checks; they have no fields to walk. */
export const LEAF_TYPES = new Set([
  'string',
  'number',
  'boolean',
  'Date',
  'any',
  'object',
  'IntOrString',
]);

/**
 * Every object type of the Kubernetes API with its fields, from @kubernetes/client-node's
 * models (generated from the same published OpenAPI spec). The package is ES modules,
 * which Jest's CommonJS loader cannot read, so a plain Node process dumps the map.
 */
export function loadTypeMap(): TypeMap {
  const script = `
    const k8s = require('@kubernetes/client-node');
    const types = {};
    for (const [name, model] of Object.entries(k8s)) {
      if (typeof model?.getAttributeTypeMap !== 'function') continue;
      types[name] = model.getAttributeTypeMap().map(({ baseName, type }) => ({ baseName, type }));
    }
    process.stdout.write(JSON.stringify(types));`;
  const output = execFileSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output.toString('utf8')) as TypeMap;
}

/** The client-node model of a top-level kind, e.g. apps/v1 Deployment → V1Deployment. */
export function rootTypeOf(doc: Manifest): string {
  const version = doc.apiVersion.split('/').pop()!;
  return `${version[0].toUpperCase()}${version.slice(1)}${doc.kind}`;
}

/**
 * Paths of fields the schema does not define. kubernetes-models accepts unknown fields,
 * and the API server drops them (or, with strict field validation, rejects the object),
 * so a misspelled `readinesProbe` would otherwise deploy a pod with no readiness probe.
 */
export function unknownFields(
  value: unknown,
  type: string,
  path: string,
  types: TypeMap,
): string[] {
  if (value === null || value === undefined || LEAF_TYPES.has(type)) return [];
  const element = /^Array<(.+)>$/.exec(type)?.[1];
  if (element !== undefined) {
    if (!Array.isArray(value)) return [];
    return value.flatMap((item, index) => unknownFields(item, element, `${path}[${index}]`, types));
  }
  const mapValue = /^\{ \[key: string\]: (.+); \}$/.exec(type)?.[1];
  if (mapValue !== undefined) {
    if (!isTree(value)) return [];
    return Object.entries(value).flatMap(([key, item]) =>
      unknownFields(item, mapValue, `${path}.${key}`, types),
    );
  }
  const attributes = types[type];
  if (!attributes) throw new Error(`${path}: no schema for type ${type}`);
  if (!isTree(value)) return [];
  const fieldTypes = new Map(attributes.map((attribute) => [attribute.baseName, attribute.type]));
  return Object.entries(value).flatMap(([key, item]) => {
    const fieldType = fieldTypes.get(key);
    const fieldPath = path ? `${path}.${key}` : key;
    return fieldType === undefined ? [fieldPath] : unknownFields(item, fieldType, fieldPath, types);
  });
}

export function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
