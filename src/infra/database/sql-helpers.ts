// Small pieces of SQL and driver knowledge that repositories on both databases share.

/** SQLite has no default LIKE escape character; PostgreSQL's is the same backslash. */
export const LIKE_ESCAPE = "ESCAPE '\\'";

/** `text` as a LIKE pattern that matches itself literally (use with LIKE_ESCAPE). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** True when a query failed on a unique constraint, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string } }).driverError;
  // 23505: PostgreSQL unique_violation; better-sqlite3 names the constraint kind.
  return driverError?.code === '23505' || driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
