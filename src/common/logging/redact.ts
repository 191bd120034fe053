// Log redaction by key name. pino's own `redact` needs every path spelled out, but a
// secret can sit at any depth of a logged object (a DTO, an error's context), so keys
// are matched by name at every level instead.

const SECRET_KEY =
  /pass(word|wd|phrase)?$|secret|token|authorization|cookie|api[-_]?key|credential|^hash$|passwordhash/i;
const MAX_DEPTH = 8;
export const REDACTED = '[Redacted]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function redactSecrets<T>(value: T, depth = 0): T {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value))
    return value.map((item: unknown) => redactSecrets(item, depth + 1)) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = isSecretKey(key) ? REDACTED : redactSecrets(item, depth + 1);
  }
  return copy as T;
}
