import { LeaderLock } from './leader-lock.port';

/** A LeaderLock driver as the LockModule drives it: started at bootstrap, stopped at shutdown. */
export interface ManagedLeaderLock extends LeaderLock {
  /** Starts taking (and then keeping) leadership; returns at once. */
  start(): void;
  /** Ends the live term and gives the lock up, so a standby can take it at once. */
  stop(): Promise<void>;
}
