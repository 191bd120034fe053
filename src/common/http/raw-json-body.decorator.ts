// Marks a route that passes its JSON body on unread: the body parser hands it the bytes
// as they came (a Buffer) instead of the parsed value, so a proxy sends them on as they
// are and can send them again, at no parsing or serializing cost.
import { RouteConfig } from '@nestjs/platform-fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by @RawJsonBody: the route's `request.body` is the Buffer received (see useJsonBodies). */
    kilnRawJsonBody?: boolean;
  }
}

/**
 * The route receives an `application/json` body as the bytes sent, bounded by
 * `http.bodyLimitBytes` like every body but neither parsed nor depth-checked.
 */
export function RawJsonBody(): MethodDecorator {
  return RouteConfig({ kilnRawJsonBody: true });
}
