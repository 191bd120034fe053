// The Wakeups port: named signals that ask a loop somewhere in the deployment to run now
// rather than at its next tick. Best effort: a lost wake costs the time to that tick.
// Two drivers: `redis` (pub/sub, heard by every process) and `memory` (this process
// only, for the embedded mode, where there is no other process to hear).

export interface Wakeups {
  readonly driver: 'redis' | 'memory';
  /** Calls `listener` on every wake of `topic`, made in this process or another. */
  on(topic: string, listener: () => void): void;
  /** Calls this process's listeners of `topic` at once, and soon those elsewhere. */
  wake(topic: string): void;
}

export const WAKEUPS = Symbol('WAKEUPS');
