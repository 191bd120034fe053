import { STATUS_CODES } from 'node:http';
import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem';
import { ProblemDetailsResponse } from '../errors/problem-details.response';

/** A status alone (described by its reason phrase) or statuses with what they mean here. */
export type ProblemStatuses = number | Partial<Record<number, string>>;

/**
 * Documents error statuses of an operation as application/problem+json bodies, so a
 * generated client types its errors: `@ApiProblems(400, { 404: 'No such task' })`.
 */
export function ApiProblems(...statuses: ProblemStatuses[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsResponse),
    ...describedStatuses(statuses).map(([status, description]) =>
      ApiResponse({
        status,
        description,
        content: {
          [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsResponse) } },
        },
      }),
    ),
  );
}

/** What any operation whose path or query is validated can answer about its request line. */
export const REQUEST_LINE_PROBLEMS = {
  400: 'The path or query is not valid; `errors` names each field',
  414: 'A path parameter is longer than the router accepts',
} as const;

/** What a streaming operation answers past the per-user or global cap of open streams. */
export const TOO_MANY_STREAMS = 'Too many open streams (of this user, or in all); see Retry-After';

/** What any operation with a JSON body can answer about that body. */
export const JSON_BODY_PROBLEMS = {
  400: 'The body, path or query is not valid; `errors` names each field',
  413: 'The body is larger than the configured limit',
  415: 'The body is not application/json',
} as const;

/** Every operation can answer this: its time limit passed, or the server is shutting down. */
export const UNAVAILABLE_PROBLEM = {
  503: 'The request took longer than its time limit, or the server is shutting down',
} as const;

function describedStatuses(statuses: ProblemStatuses[]): Array<[number, string]> {
  return statuses.flatMap((entry) =>
    typeof entry === 'number'
      ? [[entry, STATUS_CODES[entry] ?? 'Error'] as [number, string]]
      : Object.entries(entry).map(
          ([status, text]) => [Number(status), text ?? ''] as [number, string],
        ),
  );
}
