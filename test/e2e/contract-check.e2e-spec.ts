// The contract check every e2e answer goes through must itself tell a described answer
// from an undescribed one; otherwise the whole suite would pass without looking.
import { OpenApiContract } from '../support/contract/openapi-contract';

const contract = new OpenApiContract();
const TASK = '/api/v1/tasks/3f2b8c1e-5d4a-4b7e-9c1f-2a3b4c5d6e7f';
const problem = (status: number) =>
  JSON.stringify({
    type: 'https://kiln.dev/problems/not-found',
    title: 'Not Found',
    status,
    detail: 'Task not found.',
    instance: TASK,
    requestId: 'r1',
  });

describe('the OpenAPI contract check', () => {
  it('accepts a declared error with a problem+json body', () => {
    expect(
      contract.violations({
        method: 'GET',
        path: TASK,
        status: 404,
        contentType: 'application/problem+json',
        body: problem(404),
      }),
    ).toEqual([]);
  });

  it('flags a status the operation does not declare', () => {
    const found = contract.violations({
      method: 'GET',
      path: TASK,
      status: 409,
      contentType: 'application/problem+json',
      body: problem(409),
    });
    expect(found.join()).toContain('a status the spec does not declare');
  });

  it('flags a content type the status does not declare', () => {
    const found = contract.violations({
      method: 'GET',
      path: TASK,
      status: 404,
      contentType: 'application/json',
      body: problem(404),
    });
    expect(found.join()).toContain('not application/problem+json');
  });

  it('flags a body with a field the schema does not name, or a wrong type', () => {
    const body = JSON.parse(problem(404)) as Record<string, unknown>;
    const found = contract.violations({
      method: 'GET',
      path: TASK,
      status: 404,
      contentType: 'application/problem+json',
      body: JSON.stringify({ ...body, status: '404', stack: 'at x' }),
    });
    expect(found.join()).toMatch(/status must be integer.*stack|stack.*status must be integer/);
  });

  it('leaves routes the spec does not have alone', () => {
    expect(
      contract.violations({ method: 'GET', path: '/docs', status: 200, contentType: 'text/html' }),
    ).toEqual([]);
  });
});
