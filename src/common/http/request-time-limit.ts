// Answers 503 (problem+json, the same body the global filter writes) when a handler takes
// longer than its limit: @RequestTimeout(ms) on the route, else the config. The work may
// still finish; the client has been told. The timer starts once the body is parsed, as a
// handler would see it.
//
// A Fastify hook rather than a Nest interceptor: a global interceptor puts every request
// through Nest's interceptor chain (rxjs, and two AsyncResource.bind calls, each of which
// builds deprecation wrappers on Node 20). Removing it raised the tasks-list benchmark's
// share of a bare server by about a tenth (test/bench/RESULTS.md).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Logger } from '@nestjs/common';
import { sendProblem } from '../errors/problem-details.filter';
import { RequestTimedOutError } from './request-timeout.error';

export function limitRequestTime(fastify: FastifyInstance, defaultLimitMs: number): void {
  const logger = new Logger('Errors');
  const timers = new WeakMap<FastifyRequest, NodeJS.Timeout>();
  const clear = (request: FastifyRequest) => clearTimeout(timers.get(request));
  fastify.addHook('preHandler', (request, reply, done) => {
    const limitMs = request.routeOptions.config.kilnRequestTimeoutMs ?? defaultLimitMs;
    if (limitMs > 0) {
      const timer = setTimeout(
        () => sendProblem(new RequestTimedOutError(limitMs), request, reply, logger),
        limitMs,
      );
      timers.set(request, timer);
    }
    done();
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    clear(request);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    clear(request);
    done();
  });
}
