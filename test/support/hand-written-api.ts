// The hand-written HTTP helper for the scenarios that still use it, until each is moved
// onto the generated client (test/support/kiln-clients.ts) as the task scenarios are.
import { ApiClient } from './api-client';

export function handWritten(world: { kiln: { url: string } }): ApiClient {
  return new ApiClient(world.kiln.url);
}
