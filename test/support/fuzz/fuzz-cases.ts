// Requests generated from the spec: for one operation, a valid request first, then the
// same request with one part replaced by something hostile (a path parameter, a query
// parameter, a header, a body field, a nested body field, or the whole body).
import {
  Hostile,
  RawJson,
  hostileArtifactPaths,
  hostileBodies,
  hostileCursors,
  hostileIds,
  hostileJsonValues,
  hostileQueryValues,
} from './hostile-values';
import { Schema, SpecOperation } from './spec-operations';

export interface FuzzRequest {
  label: string;
  method: string;
  /** Path and query, percent-encoded. */
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** What a valid request of an operation looks like: ids, a body, query values. */
export interface ValidRequest {
  pathParams: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Built afresh for each case, so unique fields (usernames) stay unique. */
  body?: () => Record<string, unknown>;
}

const HEADER_VALUES: Record<string, string[]> = {
  'Idempotency-Key': ['', ' ', 'k'.repeat(300), 'clé', 'a b'],
  'If-Match': ['*', 'W/"abc"', '"99999999999999999999999"', 'W/"-1"', ''],
  'Last-Event-ID': ['-1', 'abc', '1e300', '99999999999999999999', ''],
};

export function fuzzRequests(operation: SpecOperation, valid: ValidRequest): FuzzRequest[] {
  const build = (label: string, parts: Partial<Parts> = {}): FuzzRequest =>
    toRequest(operation, valid, label, parts);
  return [
    build('valid request'),
    ...pathCases(operation, build),
    ...queryCases(operation, build),
    ...headerCases(operation, build),
    ...(operation.body ? bodyCases(operation.body, valid, build) : []),
  ];
}

/** Only the valid request and the path mutations: what every other role gets. */
export function roleRequests(operation: SpecOperation, valid: ValidRequest): FuzzRequest[] {
  const build = (label: string, parts: Partial<Parts> = {}): FuzzRequest =>
    toRequest(operation, valid, label, parts);
  return [build('valid request'), ...pathCases(operation, build).slice(0, 4)];
}

interface Parts {
  pathParams: Record<string, string>;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body: { contentType?: string; text?: string | Buffer } | null;
}

type Build = (label: string, parts?: Partial<Parts>) => FuzzRequest;

function pathCases(operation: SpecOperation, build: Build): FuzzRequest[] {
  return operation.parameters
    .filter((parameter) => parameter.in === 'path')
    .flatMap((parameter) => {
      const values = parameter.name === 'path' ? hostileArtifactPaths() : hostileIds();
      return values.map((hostile) =>
        build(`path ${parameter.name}: ${hostile.label}`, {
          pathParams: { [parameter.name]: hostile.value },
        }),
      );
    });
}

function queryCases(operation: SpecOperation, build: Build): FuzzRequest[] {
  const query = operation.parameters.filter((parameter) => parameter.in === 'query');
  const cases = query.flatMap((parameter) => {
    const values: Array<Hostile<string>> = [
      ...hostileQueryValues(),
      ...(parameter.name === 'cursor' ? hostileCursors() : []),
    ];
    return [
      ...values.map((hostile) =>
        build(`query ${parameter.name}: ${hostile.label}`, {
          query: [[parameter.name, hostile.value]],
        }),
      ),
      build(`query ${parameter.name}: repeated`, {
        query: [
          [parameter.name, '1'],
          [parameter.name, '2'],
        ],
      }),
    ];
  });
  if (query.length === 0) return cases;
  return [...cases, build('query: unknown parameter', { query: [['zzz', '1']] })];
}

function headerCases(operation: SpecOperation, build: Build): FuzzRequest[] {
  const names = [
    ...operation.parameters.filter((parameter) => parameter.in === 'header').map((p) => p.name),
    ...(operation.template.includes('stream') || operation.template.endsWith('/events')
      ? ['Last-Event-ID']
      : []),
  ];
  return names.flatMap((name) =>
    (HEADER_VALUES[name] ?? []).map((value) =>
      build(`header ${name}: ${JSON.stringify(value).slice(0, 20)}`, {
        headers: { [name]: value },
      }),
    ),
  );
}

function bodyCases(schema: Schema, valid: ValidRequest, build: Build): FuzzRequest[] {
  const json = (body: Record<string, unknown>) => ({
    contentType: 'application/json',
    text: stringify(body),
  });
  const fresh = () => valid.body?.() ?? {};
  const fields = Object.entries(schema.properties ?? {});
  const fieldCases = fields.flatMap(([name, child]) => [
    ...(schema.required?.includes(name)
      ? [build(`body ${name}: missing`, { body: json(without(fresh(), name)) })]
      : []),
    ...hostileJsonValues().map((hostile) =>
      build(`body ${name}: ${hostile.label}`, {
        body: json({ ...fresh(), [name]: hostile.value }),
      }),
    ),
    ...nestedCases(name, child, fresh, json, build),
  ]);
  return [
    ...fieldCases,
    build('body: unknown field', { body: json({ ...fresh(), zzz: 1 }) }),
    build('body: only unknown fields', { body: json({ zzz: 1 }) }),
    ...hostileBodies().map((hostile) => build(`body: ${hostile.label}`, { body: hostile.value })),
  ];
}

/** One level down: each field of an object field, or of the first item of an array field. */
function nestedCases(
  name: string,
  schema: Schema,
  fresh: () => Record<string, unknown>,
  json: (body: Record<string, unknown>) => { contentType: string; text: string },
  build: Build,
): FuzzRequest[] {
  const inArray = schema.type === 'array';
  const objectSchema = inArray ? schema.items : schema;
  const fields = Object.keys(objectSchema?.properties ?? {});
  return fields.flatMap((field) =>
    hostileJsonValues().map((hostile) => {
      const body = fresh();
      const current = inArray ? ((body[name] as unknown[])?.[0] ?? {}) : (body[name] ?? {});
      const changed = { ...current, [field]: hostile.value };
      body[name] = inArray ? [changed] : changed;
      return build(`body ${name}${inArray ? '[0]' : ''}.${field}: ${hostile.label}`, {
        body: json(body),
      });
    }),
  );
}

function toRequest(
  operation: SpecOperation,
  valid: ValidRequest,
  label: string,
  parts: Partial<Parts>,
): FuzzRequest {
  const pathParams = { ...valid.pathParams, ...parts.pathParams };
  const path = operation.template.replace(/\{([^}]+)\}/g, (_, name: string) => pathParams[name]);
  const query =
    parts.query ?? Object.entries(valid.query ?? {}).map(([k, v]) => [k, encodeURIComponent(v)]);
  const search = query.length ? `?${query.map(([k, v]) => `${k}=${v}`).join('&')}` : '';
  const headers: Record<string, string> = { ...valid.headers, ...parts.headers };
  const body =
    parts.body === undefined
      ? valid.body && { contentType: 'application/json', text: stringify(valid.body()) }
      : parts.body;
  if (body?.contentType) headers['content-type'] = body.contentType;
  return { label, method: operation.method, url: path + search, headers, body: body?.text };
}

/** JSON.stringify, with RawJson values spliced in as they are. */
function stringify(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (!(item instanceof RawJson)) return item;
    raws.push(item.text);
    return `\u0000raw${raws.length - 1}\u0000`;
  });
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_, index: string) => raws[Number(index)]);
}

function without(body: Record<string, unknown>, name: string): Record<string, unknown> {
  const copy = { ...body };
  delete copy[name];
  return copy;
}
