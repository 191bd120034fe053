export type { paths, components, operations } from './generated/schema';
export * from './types';
export { KilnProblemError, problemFrom, problemOf } from './problem';
export { paginate, collect, type CursorPage } from './pagination';
export { readSse, type SseEvent, type SseOptions } from './sse';
export { TokenSession, type Credentials, type FetchLike } from './token-session';
export {
  KilnClient,
  createKilnClient,
  unwrap,
  type KilnClientOptions,
  type LogLine,
  type LogEnd,
  type LogAttempt,
  type ReplicaLogEnd,
} from './kiln-client';
