import type { FastifyInstance } from 'fastify';
import type { LifecycleService } from '../lifecycle/lifecycle.service';

/**
 * Once shutdown begins, every response asks the client to close its connection.
 * The HTTP server closes only connections idle at the moment it starts closing;
 * a kept-alive connection whose request finishes later would otherwise hold the
 * process open until its keep-alive timeout, past the shutdown grace.
 */
export function closeConnectionsWhileDraining(
  fastify: FastifyInstance,
  lifecycle: LifecycleService,
): void {
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (lifecycle.shuttingDown) void reply.header('connection', 'close');
    done(null, payload);
  });
}
