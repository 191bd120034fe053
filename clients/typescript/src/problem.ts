// Kiln answers every error as application/problem+json; this turns such an answer into
// a thrown error that keeps the problem's fields, so callers branch on `status` and
// show `title` and `detail` rather than parsing text.
import type { Problem } from './types';

export class KilnProblemError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: NonNullable<Problem['errors']>;

  constructor(readonly problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'KilnProblemError';
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
  }
}

/** A problem from an error body, or one made from the status when the body is not one. */
export function problemFrom(status: number, body: unknown, statusText = ''): Problem {
  if (isProblem(body)) return body;
  return {
    type: 'about:blank',
    title: statusText || `HTTP ${status}`,
    status,
    detail: typeof body === 'string' ? body.slice(0, 500) : '',
    instance: '',
    requestId: '',
  };
}

/** Reads a failed response's body as a problem. */
export async function problemOf(response: Response): Promise<KilnProblemError> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text as the detail
  }
  return new KilnProblemError(problemFrom(response.status, body, response.statusText));
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as Problem).title === 'string' &&
    typeof (body as Problem).status === 'number'
  );
}
