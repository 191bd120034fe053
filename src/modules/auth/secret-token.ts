// Opaque secrets (refresh and API tokens): random, shown once, stored as SHA-256.
// A fast hash is right here: the secrets carry 256 random bits, so unlike passwords
// they cannot be guessed offline, and lookups by hash stay one index probe.
import { createHash, randomBytes } from 'node:crypto';

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
