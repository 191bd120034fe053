// What the tests assert about an error answer, whichever way it was asked: through the
// generated client (openapi-fetch's `{ response, error }`) or a raw request.
import type { RawResponse } from './raw-request';

export const PROBLEM = 'application/problem+json';

export type Answer = RawResponse | { response: Response; error?: unknown };

function partsOf(answer: Answer): { status: number; headers: Headers; body: unknown } {
  if ('response' in answer)
    return {
      status: answer.response.status,
      headers: answer.response.headers,
      body: answer.error,
    };
  return answer;
}

/** A complete problem+json body with this status and the request's id. */
export function expectProblem(answer: Answer, status: number): void {
  const { status: actual, headers, body } = partsOf(answer);
  expect(actual).toBe(status);
  expect(headers.get('content-type')).toContain(PROBLEM);
  expect(body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    requestId: headers.get('x-request-id'),
  });
}

/** The fields a problem's `errors` name, in order. */
export function fieldsOf(answer: Answer): string[] {
  const { body } = partsOf(answer);
  return ((body as { errors?: Array<{ field: string }> }).errors ?? []).map((error) => error.field);
}
