// The floor of the services-invoke benchmark: a bare Fastify server proxying
// POST /invoke/* to one upstream with @fastify/reply-from, as Kiln's invoke endpoint does
// (same library, same undici pool settings, the JSON body passed on as received), with no
// authentication, service lookup, logging or metrics. What it costs is what any proxy on
// this stack costs; Kiln's overhead is the rest. Run as a child process (own event loop,
// like Kiln):
//   UPSTREAM=http://127.0.0.1:PORT PORT=... node bare-proxy-server.js
// It prints "listening" once it accepts connections.
const Fastify = require('fastify');
const replyFrom = require('@fastify/reply-from');

async function main() {
  const app = Fastify({ logger: false });
  // the body stays the bytes the caller sent, as Kiln's raw JSON pass-through keeps it
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  await app.register(replyFrom, {
    base: process.env.UPSTREAM,
    undici: { connections: 64, pipelining: 1, keepAliveTimeout: 30_000 },
    disableRequestLogging: true,
  });
  app.post('/invoke/*', (request, reply) =>
    reply.from(`/${request.params['*']}`, {
      body: request.body,
      contentType: request.headers['content-type'],
    }),
  );
  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
  console.log('listening');
  const close = () => app.close().then(() => process.exit(0));
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
