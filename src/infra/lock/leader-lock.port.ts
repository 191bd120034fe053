// The LeaderLock port: at most one process of a deployment holds leadership at a time,
// so cron work (dispatching, reconciling) runs once. Two drivers: `redis` (token + TTL,
// renewed by compare-and-extend) and `memory` (one process). The lock saves work; the
// database's conditional updates are what keep the data correct (docs/architecture.md, rule 1).

export interface LeadershipTerm {
  /** Increases with every term across the deployment; a stale leader's epoch is lower. */
  epoch: number;
  /** Aborts the moment this term ends (lost, released, or the process shuts down). */
  signal: AbortSignal;
}

export interface LeaderLock {
  /** True while this process holds a live term. */
  readonly isLeader: boolean;
  /** The live term, or undefined when this process is not leader. */
  readonly term: LeadershipTerm | undefined;
  /** Calls `listener` on every change of `isLeader`. Returns an unsubscribe function. */
  onChange(listener: (isLeader: boolean) => void): () => void;
}

export const LEADER_LOCK = Symbol('LEADER_LOCK');
