// Checks an HTTP response against the committed OpenAPI spec: the operation declares the
// status, the status declares the content type, and a JSON body matches the schema.
// Object schemas are closed (no undeclared properties), so a field the spec does not
// name fails too: a generated client would never see it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const SPEC_FILE = resolve(__dirname, '..', '..', '..', 'src', 'openapi', 'openapi.json');
const SPEC_ID = 'kiln-openapi.json';

/** Statuses Node's HTTP parser answers before any route runs; no operation declares them. */
const CONNECTION_LEVEL_STATUSES = new Set([431]);

export interface ObservedResponse {
  method: string;
  /** Path without the query, as sent (percent-encoding kept). */
  path: string;
  status: number;
  contentType: string | null;
  /** The body text, for JSON bodies; undefined when it was not read (streams, files). */
  body?: string;
}

interface MediaType {
  schema?: SchemaObject;
}

interface ResponseObject {
  content?: Record<string, MediaType>;
}

interface Operation {
  operationId: string;
  responses: Record<string, ResponseObject>;
}

type SchemaObject = Record<string, unknown>;

interface Route {
  method: string;
  pattern: RegExp;
  /** Literal characters in the template: the more, the more specific the route. */
  specificity: number;
  operation: Operation;
}

export class OpenApiContract {
  private readonly routes: Route[];
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(spec: SchemaObject = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as SchemaObject) {
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv);
    this.ajv.addSchema(closeObjects(structuredClone(spec)), SPEC_ID);
    this.routes = routesOf(spec);
  }

  /** Whether the response's body must be read to check it (JSON bodies only). */
  wantsBody(response: Omit<ObservedResponse, 'body'>): boolean {
    return this.schemaOf(response) !== undefined;
  }

  /** Everything about the response that the spec does not describe; empty when it does. */
  violations(response: ObservedResponse): string[] {
    const route = this.routeOf(response.method, response.path);
    if (!route) return [];
    const where = `${response.method} ${response.path} (${route.operation.operationId}) answered ${response.status}`;
    if (CONNECTION_LEVEL_STATUSES.has(response.status)) {
      return isProblem(response.contentType) ? [] : [`${where} without problem+json`];
    }
    // `default` describes every status not listed, as in OpenAPI (a proxied answer)
    const declared =
      route.operation.responses[String(response.status)] ?? route.operation.responses.default;
    if (!declared) return [`${where}, a status the spec does not declare`];
    const mediaType = mediaTypeOf(response.contentType);
    const content = declared.content;
    if (!content) {
      return response.body ? [`${where} with a body the spec does not declare`] : [];
    }
    if (content['*/*']) return []; // any media type, as a proxied answer has
    if (!mediaType || !content[mediaType]) {
      return [
        `${where} as ${mediaType ?? 'no content type'}, not ${Object.keys(content).join(' or ')}`,
      ];
    }
    return this.bodyViolations(where, response, mediaType, declared);
  }

  private bodyViolations(
    where: string,
    response: ObservedResponse,
    mediaType: string,
    declared: ResponseObject,
  ): string[] {
    const validate = this.validatorFor(declared.content?.[mediaType]?.schema);
    if (!validate || response.body === undefined) return [];
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      return [`${where} with a ${mediaType} body that is not JSON: ${response.body.slice(0, 200)}`];
    }
    if (validate(body)) return [];
    const errors = (validate.errors ?? [])
      .map((error) => `${error.instancePath || '/'} ${error.message}${paramsOf(error.params)}`)
      .join('; ');
    return [`${where} with a body that does not match the spec: ${errors}`];
  }

  private schemaOf(response: Omit<ObservedResponse, 'body'>): SchemaObject | undefined {
    const route = this.routeOf(response.method, response.path);
    const mediaType = mediaTypeOf(response.contentType);
    if (!route || !mediaType || !isJson(mediaType)) return undefined;
    const schema = route.operation.responses[String(response.status)]?.content?.[mediaType]?.schema;
    return schema && schema.format !== 'binary' ? schema : undefined;
  }

  private validatorFor(schema: SchemaObject | undefined): ValidateFunction | undefined {
    if (!schema || schema.format === 'binary' || schema.type === 'string') return undefined;
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(withSpecRefs(closeObjects(structuredClone(schema))));
      this.validators.set(key, validate);
    }
    return validate;
  }

  private routeOf(method: string, path: string): Route | undefined {
    const candidates = this.routes.filter(
      (route) => route.method === method.toLowerCase() && route.pattern.test(path),
    );
    return candidates.sort((a, b) => b.specificity - a.specificity)[0];
  }
}

function routesOf(spec: SchemaObject): Route[] {
  const paths = spec.paths as Record<string, Record<string, Operation>>;
  return Object.entries(paths).flatMap(([template, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      method,
      pattern: patternOf(template),
      specificity: template.replace(/\{[^}]+\}/g, '').length,
      operation,
    })),
  );
}

/** `{id}` matches one segment; a last parameter named `path` takes the rest of the URL. */
function patternOf(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part, index, parts) => {
      if (!part.startsWith('{')) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      return part === '{path}' && index === parts.length - 2 ? '.+' : '[^/]+';
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/** Rewrites local `#/components/...` refs of a fragment so they resolve in the whole spec. */
function withSpecRefs(schema: unknown): SchemaObject {
  return JSON.parse(
    JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${SPEC_ID}#/`),
  ) as SchemaObject;
}

/** Object schemas with properties and no word on others get `additionalProperties: false`. */
function closeObjects<T>(node: T): T {
  if (Array.isArray(node)) {
    node.forEach(closeObjects);
  } else if (node && typeof node === 'object') {
    const schema = node as SchemaObject;
    if (
      schema.properties &&
      typeof schema.properties === 'object' &&
      !('additionalProperties' in schema)
    ) {
      schema.additionalProperties = false;
    }
    Object.values(schema).forEach(closeObjects);
  }
  return node;
}

function mediaTypeOf(contentType: string | null): string | undefined {
  return contentType?.split(';')[0].trim().toLowerCase() || undefined;
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function isProblem(contentType: string | null): boolean {
  return mediaTypeOf(contentType) === 'application/problem+json';
}

function paramsOf(params: Record<string, unknown>): string {
  const extra = params.additionalProperty ?? params.allowedValues ?? params.format;
  return extra === undefined ? '' : ` (${JSON.stringify(extra)})`;
}
