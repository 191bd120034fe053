// The operations of the committed OpenAPI spec, in the shape the fuzz suite needs:
// which parameters go where, the JSON body's schema with references resolved.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const SPEC_FILE = resolve(__dirname, '..', '..', '..', 'src', 'openapi', 'openapi.json');

export type Schema = {
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  $ref?: string;
  allOf?: Schema[];
  nullable?: boolean;
};

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface SpecOperation {
  operationId: string;
  method: string;
  /** e.g. `/api/v1/tasks/{id}` */
  template: string;
  parameters: SpecParameter[];
  /** The JSON body's schema, references resolved; undefined without a body. */
  body?: Schema;
  /** True when the operation needs no bearer credentials. */
  isPublic: boolean;
}

interface RawOperation {
  operationId: string;
  parameters?: SpecParameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  security?: unknown[];
}

interface RawSpec {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema> };
}

export function specOperations(): SpecOperation[] {
  const spec = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as RawSpec;
  const resolveRefs = (schema: Schema): Schema => resolved(schema, spec.components.schemas);
  return Object.entries(spec.paths).flatMap(([template, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      operationId: operation.operationId,
      method: method.toUpperCase(),
      template,
      parameters: (operation.parameters ?? []).map((parameter) => ({
        ...parameter,
        schema: resolveRefs(parameter.schema),
      })),
      body: operation.requestBody
        ? resolveRefs(operation.requestBody.content['application/json'].schema)
        : undefined,
      // Operations without bearer security: the probes, login, refresh, logout, and the
      // metrics report a run makes with its own token.
      isPublic: !operation.security?.length,
    })),
  );
}

function resolved(schema: Schema, schemas: Record<string, Schema>): Schema {
  if (schema.$ref) return resolved(schemas[schema.$ref.split('/').pop()!], schemas);
  if (schema.allOf?.length === 1)
    return resolved({ ...schema.allOf[0], ...schema, allOf: undefined }, schemas);
  const copy: Schema = { ...schema };
  if (copy.properties) {
    copy.properties = Object.fromEntries(
      Object.entries(copy.properties).map(([name, child]) => [name, resolved(child, schemas)]),
    );
  }
  if (copy.items) copy.items = resolved(copy.items, schemas);
  return copy;
}
