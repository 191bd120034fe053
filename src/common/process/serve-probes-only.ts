// For KILN_ROLE=worker: the HTTP port stays open for probes and scrapes only; every
// other request gets a 404 problem before any route, guard or body parser runs.
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../errors/domain-error';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../errors/problem';

const PROBE_PATHS = ['/health/live', '/health/ready', '/health/startup', '/metrics'];

export function serveProbesOnly(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?')[0];
    if (PROBE_PATHS.includes(path)) return done();
    const problem = toProblem(
      new NotFoundError('This process runs with KILN_ROLE=worker and serves no API'),
      request,
    );
    void reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem.body);
  });
}
