import { SetMetadata } from '@nestjs/common';

export const REQUEST_TIMEOUT_MS = 'kiln:request-timeout-ms';

/**
 * Overrides `http.requestTimeoutMs` for a route or a controller. `0` removes the limit:
 * streaming routes (SSE, log tails) must use it, or they would be cut off mid-stream.
 */
export function RequestTimeout(ms: number): MethodDecorator & ClassDecorator {
  if (!Number.isInteger(ms) || ms < 0)
    throw new Error(`@RequestTimeout needs a whole number of ms >= 0, got ${ms}`);
  return SetMetadata(REQUEST_TIMEOUT_MS, ms);
}
