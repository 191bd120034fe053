import { toProblem } from './problem';

const request = { id: 'req-1', url: '/api/v1/tasks?x=1' };

describe('toProblem', () => {
  it('answers an unreachable database with 503 and Retry-After, without its message', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), {
      code: 'ECONNREFUSED',
    });
    const problem = toProblem(refused, request);
    expect(problem.body).toMatchObject({ status: 503, instance: '/api/v1/tasks' });
    expect(problem.body.type).toMatch(/service-unavailable$/);
    expect(problem.body.detail).not.toContain('10.0.0.5');
    expect(Number(problem.headers['Retry-After'])).toBeGreaterThan(0);
  });

  it('answers any other unknown error with 500', () => {
    const problem = toProblem(new TypeError('x is undefined'), request);
    expect(problem.body.status).toBe(500);
    expect(problem.unexpected).toBe(true);
  });
});
