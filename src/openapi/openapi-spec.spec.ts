// Rules the committed spec keeps so that a client generated from it is typed and honest.
import Ajv from 'ajv';
import spec from './openapi.json';

interface Operation {
  operationId: string;
  parameters?: Array<{ in: string; name: string; schema: { format?: string } }>;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

const operations = Object.entries(spec.paths as Record<string, Record<string, Operation>>).flatMap(
  ([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({ path, method, operation })),
);

describe('the committed OpenAPI spec', () => {
  it('types every error status of every operation as ProblemDetails problem+json', () => {
    const untyped = operations.flatMap(({ operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400)
        .filter(
          ([, response]) =>
            response.content?.['application/problem+json']?.schema?.$ref !==
            '#/components/schemas/ProblemDetailsResponse',
        )
        .map(([status]) => `${operation.operationId} ${status}`),
    );
    expect(untyped).toEqual([]);
  });

  it('lets every nullable property of a class type be null, as a strict validator reads it', () => {
    // only null is checked here, so formats (date-time, uuid) need no validator
    const ajv = new Ajv({ strict: false, validateFormats: false });
    ajv.addSchema(spec, 'spec');
    const schemas = spec.components.schemas as Record<string, { properties?: object }>;
    const refusingNull = Object.entries(schemas).flatMap(([name, schema]) =>
      Object.entries((schema.properties ?? {}) as Record<string, { nullable?: boolean }>)
        .filter(([, property]) => property.nullable === true)
        .filter(([property]) => {
          const pointer = `spec#/components/schemas/${name}/properties/${property}`;
          return !ajv.validate({ $ref: pointer }, null);
        })
        .map(([property]) => `${name}.${property}`),
    );
    expect(refusingNull).toEqual([]);
  });

  it('declares 400 on every operation that validates a path, query or body', () => {
    const missing = operations
      .filter(({ operation, method }) => operation.parameters?.length || method !== 'get')
      .filter(({ operation }) => !operation.responses['400'])
      .map(({ operation }) => operation.operationId);
    expect(missing).toEqual([]);
  });

  it('declares 404 on every operation a user makes on one task', () => {
    const missing = operations
      .filter(({ path }) => path.startsWith('/api/v1/tasks/{id}'))
      // a run reporting metrics for any task but its own is refused with 401 instead
      .filter(({ operation }) => operation.operationId !== 'reportTaskMetrics')
      .filter(({ operation }) => !operation.responses['404'])
      .map(({ operation }) => operation.operationId);
    expect(missing).toEqual([]);
  });

  it('marks every id in a path as a uuid', () => {
    const loose = operations.flatMap(({ operation }) =>
      (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'path' && parameter.name === 'id')
        .filter((parameter) => parameter.schema.format !== 'uuid')
        .map(() => operation.operationId),
    );
    expect(loose).toEqual([]);
  });

  it('names operations with a verb and what they act on', () => {
    const bare = operations
      .map(({ operation }) => operation.operationId)
      .filter((id) => !/^[a-z]+[A-Z]/.test(id) && id !== 'login' && id !== 'logout');
    expect(bare).toEqual([]);
  });
});
