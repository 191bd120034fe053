import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** How long a refused body may keep arriving, and how much of it is read, before the cut. */
const LINGER_MS = 10_000;
const LINGER_BYTES = 64 * 1024 * 1024;

/**
 * A request answered before its body was read (413: its declared length is over the
 * limit) still has that body on the wire. Fastify answers it with `connection: close`,
 * and a socket closed with unread data is reset by the kernel, so a client still
 * sending gets EPIPE or ECONNRESET instead of the 413 that says what was wrong. As
 * nginx's lingering close does, the rest of the body is read and dropped first (up to
 * LINGER_BYTES within LINGER_MS, then the connection is cut) and the connection is kept
 * for the client's next request. Registered before the shutdown's own `connection:
 * close`, which stays.
 */
export function lingerAfterEarlyAnswers(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const incoming = request.raw;
    if (!incoming.complete && reply.getHeader('connection') === 'close') {
      reply.removeHeader('connection');
      dropRestOfBody(incoming);
    }
    done(null, payload);
  });
}

function dropRestOfBody(incoming: IncomingMessage): void {
  const cut = () => incoming.socket.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  let read = 0;
  incoming.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > LINGER_BYTES) cut();
  });
  incoming.once('end', () => clearTimeout(timer));
  incoming.once('close', () => clearTimeout(timer));
  incoming.resume();
}
