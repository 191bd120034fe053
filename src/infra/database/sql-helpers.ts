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

/** True when a query failed on a foreign key (a row it names is gone), on either database. */
export function isForeignKeyViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string } }).driverError;
  // 23503: PostgreSQL foreign_key_violation.
  return driverError?.code === '23503' || driverError?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
