// What `kiln` exits with, so scripts and CI can tell a failed task from a failed call.
export const EXIT = {
  ok: 0,
  /** The task ended other than `succeeded`. */
  taskNotSucceeded: 1,
  /** Bad usage, an API problem, a network failure. */
  error: 2,
  /** Wrong password, expired or missing login. */
  unauthenticated: 3,
  /** Ctrl-C. */
  interrupted: 130,
} as const;

/** Thrown to end the command with a message and an exit code. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message = '',
  ) {
    super(message);
  }
}
