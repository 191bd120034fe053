// Where the endpoint counts invocations and the REST API reads their summary. Embedded
// Kiln keeps them in memory; with Redis every Kiln replica adds to the same buckets, so
// any replica answers for all of them.
import type { Invocation, InvocationSummary } from './invocation-window';

export const INVOCATION_STATS = Symbol('INVOCATION_STATS');

export interface InvocationStats {
  readonly driver: 'memory' | 'redis';
  /** Synchronous and cheap: the invocation path never waits for the store. */
  record(serviceId: string, invocation: Invocation): void;
  summary(serviceId: string, nowMs?: number): Promise<InvocationSummary>;
}
