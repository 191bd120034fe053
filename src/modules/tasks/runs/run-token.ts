// KILN_RUN_TOKEN: the credential a run uses to report metrics and progress over REST.
// Random, shown only to the run, stored as a SHA-256 hash on its attempt row, and
// accepted only while that attempt runs.
import { createHash, randomBytes } from 'node:crypto';

export const RUN_TOKEN_PREFIX = 'kiln_run_';

export function newRunToken(): string {
  return RUN_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashRunToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
