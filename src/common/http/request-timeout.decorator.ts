import { RouteConfig } from '@nestjs/platform-fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's own request time limit, set by @RequestTimeout (see limitRequestTime). */
    kilnRequestTimeoutMs?: number;
  }
}

/**
 * Overrides `http.requestTimeoutMs` for a route. `0` removes the limit: streaming routes
 * (SSE, log tails) must use it, or they would be cut off mid-stream.
 */
export function RequestTimeout(ms: number): MethodDecorator {
  if (!Number.isInteger(ms) || ms < 0)
    throw new Error(`@RequestTimeout needs a whole number of ms >= 0, got ${ms}`);
  return RouteConfig({ kilnRequestTimeoutMs: ms });
}
