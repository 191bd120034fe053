import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';

/**
 * One log line per answered request: method, path (without the query string, which
 * may carry a token), route template, status and duration, tagged with the request id.
 * Written from Fastify's onResponse hook, which sees 404s and body-parsing errors too.
 */
export function logCompletedRequests(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    // The root logger (set up once the app is initialised), not the request-bound
    // one: this line names its request itself.
    const logger = PinoLogger.root;
    const status = reply.statusCode;
    const line = {
      context: 'Http',
      requestId: request.id,
      method: request.method,
      path: request.url.split('?')[0],
      route: request.routeOptions.url ?? 'unmatched',
      status,
      responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (status >= 500) logger.error(line, 'request failed');
    else if (status >= 400) logger.warn(line, 'request rejected');
    else logger.info(line, 'request completed');
    done();
  });
}
