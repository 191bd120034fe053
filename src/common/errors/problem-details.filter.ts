import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';

/** Answers every error thrown in a route, guard, pipe or interceptor as problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(
      error,
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      this.logger,
    );
  }
}

/**
 * Writes `error` as problem+json. Once a streamed answer has written its headers, no
 * problem can follow: the connection is cut so the client sees a truncated response
 * rather than one that looks complete, and nothing writes headers a second time (that
 * throws outside any handler and would end the process).
 */
export function sendProblem(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Logger,
): void {
  const problem = toProblem(error, request);
  if (problem.unexpected) {
    logger.error(
      { err: error, requestId: request.id },
      `Unexpected error on ${request.method} ${request.url}`,
    );
  }
  if (reply.sent || reply.raw.headersSent) {
    // A route that took the response over (a stream) and then failed leaves it open.
    if (!reply.raw.writableEnded) reply.raw.destroy();
    return;
  }
  void reply
    .status(problem.body.status)
    .headers(problem.headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem.body));
}
