// RFC 9457 problem details: the one shape of every error Kiln answers with.
import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { isTransientError } from '../retry/transient-error';
import { DomainError, FieldProblem } from './domain-error';
import { RequestValidationError } from './request-validation.error';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://kiln.dev/problems/';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldProblem[];
}

export interface Problem {
  body: ProblemDetails;
  headers: Record<string, string>;
  /** True when the error is ours, not the client's: it must be logged in full. */
  unexpected: boolean;
}

interface RequestLike {
  id: string;
  url: string;
}

const SLUGS_BY_STATUS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  408: 'request-timeout',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  422: 'unprocessable-content',
  428: 'precondition-required',
  429: 'too-many-requests',
  431: 'request-header-fields-too-large',
  500: 'internal-error',
  503: 'service-unavailable',
};

const UNEXPECTED_DETAIL = 'An unexpected error occurred. Quote the requestId when you report it.';
const UNAVAILABLE_DETAIL =
  'A service Kiln depends on is unavailable, so the request was not carried out. Retry after the Retry-After delay.';
/** Long enough for a reconnect or a failover to finish, short enough not to stall clients. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export function toProblem(error: unknown, request: RequestLike): Problem {
  const { status, slug, detail, errors, headers, unexpected } = classify(error);
  const body: ProblemDetails = {
    type: slug ? PROBLEM_TYPE_BASE + slug : 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance: request.url.split('?')[0],
    requestId: request.id,
  };
  if (errors.length > 0) body.errors = errors;
  return { body, headers, unexpected };
}

interface Classified {
  status: number;
  slug?: string;
  detail: string;
  errors: FieldProblem[];
  headers: Record<string, string>;
  unexpected: boolean;
}

function classify(error: unknown): Classified {
  if (error instanceof DomainError) {
    return {
      status: error.status,
      slug: error.slug,
      detail: error.message,
      errors: error.fieldProblems,
      headers: error.headers,
      unexpected: false,
    };
  }
  if (error instanceof RequestValidationError) {
    return { ...fromHttpException(error), slug: 'validation-error', errors: error.fieldProblems };
  }
  if (error instanceof HttpException) return fromHttpException(error);
  // The database or Redis was unreachable (an outage, a failover): nothing was accepted,
  // and the same request may well succeed in a moment.
  if (isTransientError(error)) {
    return {
      status: 503,
      slug: 'service-unavailable',
      detail: UNAVAILABLE_DETAIL,
      errors: [],
      headers: { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
      unexpected: false,
    };
  }
  return {
    status: 500,
    slug: 'internal-error',
    detail: UNEXPECTED_DETAIL,
    errors: [],
    headers: {},
    unexpected: true,
  };
}

function fromHttpException(error: HttpException): Classified {
  const status = error.getStatus();
  const unexpected = status >= 500;
  return {
    status,
    slug: SLUGS_BY_STATUS[status],
    detail: unexpected && status === 500 ? UNEXPECTED_DETAIL : messageOf(error),
    errors: [],
    headers: {},
    unexpected,
  };
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : error.message;
}
