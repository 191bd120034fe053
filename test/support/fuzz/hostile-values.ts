// What a hostile or careless caller sends instead of the value an API expects. JSON values
// go into bodies; "raw" values are percent-encoded text for paths and queries, so they can
// carry what encodeURIComponent refuses to produce (invalid UTF-8, lone surrogates).

/** A value spliced into a JSON body as raw text, for what JSON.stringify cannot build. */
export class RawJson {
  constructor(readonly text: string) {}
}

export interface Hostile<T> {
  label: string;
  value: T;
}

// Deep enough to overflow any recursive walk of the value, small enough for the body limit.
const DEPTH = 10_000;
export const DEEP_ARRAY = new RawJson('['.repeat(DEPTH) + ']'.repeat(DEPTH));
export const DEEP_OBJECT = new RawJson('{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH));

/** Dates a lenient ISO-8601 check lets through and a database or Date may not take. */
export const ODD_DATES = [
  '2024-W01-1',
  '2030-W01',
  '20300101T000000Z',
  '2030-01-01T10:00:00,5Z',
  '-271821-04-19T00:00:00.000Z',
  '+275760-09-13T00:00:01.000Z',
  '2024-02-30T00:00:00Z',
  '0000-01-01T00:00:00Z',
];

/** Everything but the expected type, for any field of a JSON body. */
export function hostileJsonValues(): Array<Hostile<unknown>> {
  return [
    { label: 'null', value: null },
    { label: 'true', value: true },
    { label: 'zero', value: 0 },
    { label: 'negative', value: -1 },
    { label: 'fraction', value: 1.5 },
    { label: 'huge number', value: 1e300 },
    { label: 'beyond safe integers', value: 2 ** 60 },
    { label: 'empty string', value: '' },
    { label: 'numeric string', value: '1' },
    { label: 'NUL in a string', value: 'a\u0000b' },
    { label: 'lone surrogate', value: 'a\ud800b' },
    { label: 'huge string', value: 'x'.repeat(200_000) },
    { label: 'empty array', value: [] },
    { label: 'array of nulls', value: [null] },
    { label: 'array with NUL', value: ['a\u0000b'] },
    { label: 'empty object', value: {} },
    { label: 'object with NUL key', value: { 'a\u0000b': 'v' } },
    { label: 'object with lone-surrogate key', value: { '\ud800': '\udc00' } },
    { label: 'object with __proto__', value: JSON.parse('{"__proto__": {"admin": true}}') },
    { label: 'deep array', value: DEEP_ARRAY },
    { label: 'deep object', value: DEEP_OBJECT },
    ...ODD_DATES.map((date) => ({ label: `odd date ${date}`, value: date })),
  ];
}

/** Percent-encoded text for a query parameter. */
export function hostileQueryValues(): Array<Hostile<string>> {
  return [
    { label: 'empty', value: '' },
    { label: 'word', value: 'abc' },
    { label: 'negative', value: '-1' },
    { label: 'fraction', value: '1.5' },
    { label: 'huge number', value: '1e300' },
    { label: 'hex', value: '0x10' },
    { label: 'NaN', value: 'NaN' },
    { label: 'NUL', value: 'a%00b' },
    { label: 'lone surrogate (as CESU-8)', value: '%ED%A0%80' },
    { label: 'invalid UTF-8', value: '%FF%FE' },
    { label: 'broken percent-encoding', value: '%E0%A4%A' },
    { label: 'long', value: 'x'.repeat(5_000) },
    { label: 'traversal', value: '..%2F..%2Fetc%2Fpasswd' },
    ...ODD_DATES.map((date) => ({ label: `odd date ${date}`, value: encodeURIComponent(date) })),
  ];
}

/** Percent-encoded text for a `{id}` path parameter. */
export function hostileIds(): Array<Hostile<string>> {
  return [
    { label: 'unknown uuid', value: '3f2b8c1e-5d4a-4b7e-9c1f-2a3b4c5d6e7f' },
    { label: 'nil uuid', value: '00000000-0000-0000-0000-000000000000' },
    { label: 'uuid v1', value: 'c232ab00-9414-11ec-b3c8-9f6bdeced846' },
    { label: 'not a uuid', value: 'abc' },
    { label: 'NUL', value: 'a%00b' },
    { label: 'lone surrogate (as CESU-8)', value: '%ED%A0%80' },
    { label: 'broken percent-encoding', value: '%E0%A4%A' },
    { label: 'over the router limit', value: 'a'.repeat(300) },
    { label: 'encoded traversal', value: '..%2F..%2Fhealth%2Flive' },
    { label: 'uuid with trailing junk', value: '3f2b8c1e-5d4a-4b7e-9c1f-2a3b4c5d6e7f%00' },
  ];
}

/** Percent-encoded text for the `{path}` of an artifact download. */
export function hostileArtifactPaths(): Array<Hostile<string>> {
  return [
    { label: 'no such file', value: 'missing.bin' },
    { label: 'encoded traversal', value: '..%2F..%2F..%2Fetc%2Fpasswd' },
    { label: 'dot segments', value: '%2e%2e/%2e%2e/%2e%2e/etc/passwd' },
    { label: 'absolute', value: '%2Fetc%2Fpasswd' },
    { label: 'NUL', value: 'model.json%00.txt' },
    { label: 'lone surrogate (as CESU-8)', value: '%ED%A0%80' },
    { label: 'backslashes', value: '..%5C..%5Cetc%5Cpasswd' },
    { label: 'a directory', value: '.' },
    { label: 'long', value: 'a/'.repeat(300) + 'b' },
  ];
}

/** Bodies that are not the JSON object an operation expects, with their content type. */
export function hostileBodies(): Array<Hostile<{ contentType?: string; text?: string | Buffer }>> {
  const big = `{"name":"${'x'.repeat(1_100_000)}"}`;
  return [
    { label: 'no body, JSON content type', value: { contentType: 'application/json' } },
    { label: 'empty JSON body', value: { contentType: 'application/json', text: '' } },
    { label: 'JSON null', value: { contentType: 'application/json', text: 'null' } },
    { label: 'JSON array', value: { contentType: 'application/json', text: '[]' } },
    { label: 'JSON string', value: { contentType: 'application/json', text: '"s"' } },
    { label: 'JSON number', value: { contentType: 'application/json', text: '123' } },
    { label: 'truncated JSON', value: { contentType: 'application/json', text: '{"a":' } },
    { label: 'deep array body', value: { contentType: 'application/json', text: DEEP_ARRAY.text } },
    {
      label: 'deep object body',
      value: { contentType: 'application/json', text: DEEP_OBJECT.text },
    },
    { label: 'body over the limit', value: { contentType: 'application/json', text: big } },
    { label: 'text/plain', value: { contentType: 'text/plain', text: 'hello' } },
    {
      label: 'form-encoded',
      value: { contentType: 'application/x-www-form-urlencoded', text: 'a=1' },
    },
    {
      label: 'UTF-16 charset',
      value: { contentType: 'application/json; charset=utf-16', text: '{}' },
    },
    {
      label: 'invalid UTF-8',
      value: {
        contentType: 'application/json',
        text: Buffer.concat([
          Buffer.from('{"name":"'),
          Buffer.from([0xff, 0xfe]),
          Buffer.from('"}'),
        ]),
      },
    },
  ];
}

/** Bad cursors: base64url JSON whose fields a lenient decoder lets through. */
export function hostileCursors(): Array<Hostile<string>> {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const id = '3f2b8c1e-5d4a-4b7e-9c1f-2a3b4c5d6e7f';
  const at = '2026-01-01T00:00:00.000Z';
  return [
    { label: 'not base64 JSON', value: 'garbage' },
    { label: 'id not a uuid', value: encode({ c: at, id: 'x' }) },
    { label: 'id with NUL', value: encode({ c: at, id: 'a\u0000b' }) },
    { label: 'priority 1e300', value: encode({ c: at, id, p: 1e300 }) },
    { label: 'date in year -271821', value: encode({ c: '-271821-04-20T00:00:00Z', id }) },
    { label: 'week date', value: encode({ c: '2024-W01-1', id }) },
    { label: 'array', value: encode([at, id]) },
    { label: 'username cursor with NUL', value: encode({ u: 'a\u0000b', id }) },
  ];
}
