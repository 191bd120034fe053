// Errors that services throw. Each subclass names its HTTP status and problem type
// once; the problem-details filter maps any of them without knowing the domain.

export interface FieldProblem {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  /** HTTP status the API answers with. */
  abstract readonly status: number;
  /** Short kebab-case slug; the problem `type` is PROBLEM_TYPE_BASE + slug. */
  abstract readonly slug: string;
  /** Extra response headers, such as Retry-After. */
  readonly headers: Record<string, string> = {};
  /** Field-level problems, for errors about the request's content. */
  readonly fieldProblems: FieldProblem[] = [];

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request's content broke a rule that DTO validation cannot see. */
export class InvalidInputError extends DomainError {
  readonly status = 400;
  readonly slug = 'invalid-input';
  override readonly fieldProblems: FieldProblem[];

  constructor(message: string, fieldProblems: FieldProblem[] = []) {
    super(message);
    this.fieldProblems = fieldProblems;
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly slug = 'not-found';
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly slug = 'conflict';
}
