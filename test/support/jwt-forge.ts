// Hand-made JWTs for the negative tests: tokens a real signer would never produce.
import { createHmac } from 'node:crypto';

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function decodeJwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** Signs `payload` with HMAC (HS256 or HS512) and `secret`. */
export function signJwt(
  payload: Record<string, unknown>,
  secret: string,
  algorithm: 'HS256' | 'HS512' = 'HS256',
): string {
  const unsigned = `${encode({ alg: algorithm, typ: 'JWT' })}.${encode(payload)}`;
  const digest = algorithm === 'HS256' ? 'sha256' : 'sha512';
  return `${unsigned}.${createHmac(digest, secret).update(unsigned).digest('base64url')}`;
}

/** An `alg: none` token: no signature at all. */
export function unsignedJwt(payload: Record<string, unknown>): string {
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
}

/** The same token with its payload swapped and the original signature kept. */
export function tamperJwt(token: string, changes: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${encode({ ...decodeJwtPayload(token), ...changes })}.${signature}`;
}
