/** The message of whatever was thrown, for log lines and reasons. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
