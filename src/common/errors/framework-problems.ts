// Errors Fastify and Node's HTTP parser answer themselves, before any route or Nest
// filter runs: a path that is not valid percent-encoding, a path parameter over the
// router's length limit, headers over Node's size limit. They get the same
// problem+json body as every other error instead of Fastify's own JSON.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { HttpException, Logger } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '../http/request-id';
import { sendProblem } from './problem-details.filter';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';

const logger = new Logger('Errors');

const ROUTER_DETAILS: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is not valid: a path segment is not correctly percent-encoded.',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is longer than this API accepts.',
};

/** Fastify's `frameworkErrors`: router errors raised before a route is chosen. */
export function answerRouterError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.statusCode ?? 500;
  const detail = ROUTER_DETAILS[error.code] ?? error.message;
  void reply.header(REQUEST_ID_HEADER, request.id);
  sendProblem(new HttpException(detail, status), request, reply, logger);
}

/**
 * Fastify's `clientErrorHandler`: the request could not even be parsed, so there is no
 * request object; the status follows Node's error code as Fastify's default does.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) socket.write(rawProblemResponse(statusOf(error), requestLineUrl(error)));
  socket.destroy(error);
}

function statusOf(error: NodeJS.ErrnoException): number {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (error.code === 'HPE_HEADER_OVERFLOW') return 431;
  return 400;
}

/** The request's path as far as the parser got, for `instance`; empty when unknown. */
function requestLineUrl(error: NodeJS.ErrnoException): string {
  const raw = (error as { rawPacket?: Buffer }).rawPacket?.toString('latin1') ?? '';
  return /^[A-Z]+ (\/\S*) HTTP\//.exec(raw)?.[1] ?? '';
}

function rawProblemResponse(status: number, url: string): string {
  const detail =
    status === 431 ? 'The request headers are too large.' : 'The request is malformed.';
  const requestId = randomUUID();
  const { body } = toProblem(new HttpException(detail, status), { id: requestId, url });
  const json = JSON.stringify(body);
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
    `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
    `Content-Length: ${Buffer.byteLength(json)}\r\n` +
    `X-Request-Id: ${requestId}\r\n` +
    `Connection: close\r\n\r\n${json}`
  );
}
