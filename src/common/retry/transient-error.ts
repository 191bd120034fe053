// Decides which failures of an outbound call are worth another try: the ones caused by
// the network or an overloaded peer, never the ones caused by what we sent.

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

/** PostgreSQL SQLSTATE classes and codes that mean "try again later". */
const TRANSIENT_PG_CODES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);

const TRANSIENT_MESSAGES = [
  /connection is closed/i,
  /connection terminated/i,
  /socket hang up/i,
  /timeout/i,
  /database is locked/i,
  // PostgreSQL refusing connections to a database taken offline (ALLOW_CONNECTIONS false)
  /not currently accepting connections/i,
  // ioredis giving up on a command while Redis is unreachable
  /max retries per request/i,
];

interface ErrorShape {
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
}

export function isTransientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const shape = error as ErrorShape;
  // @kubernetes/client-node's ApiException carries the HTTP status as a numeric `code`.
  const status = numeric(shape.status) ?? numeric(shape.statusCode) ?? httpStatus(shape.code);
  if (status !== undefined) return status === 429 || status === 408 || status >= 500;
  const code = typeof shape.code === 'string' ? shape.code : undefined;
  if (code && (TRANSIENT_NETWORK_CODES.has(code) || TRANSIENT_PG_CODES.has(code))) return true;
  if (code?.startsWith('08')) return true; // SQLSTATE class 08: connection exception
  if (shape.name === 'TimeoutError') return true;
  const message = typeof shape.message === 'string' ? shape.message : '';
  if (TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) return true;
  return shape.cause !== undefined && shape.cause !== error && isTransientError(shape.cause);
}

function numeric(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function httpStatus(value: unknown): number | undefined {
  const status = numeric(value);
  return status !== undefined && status >= 100 && status <= 599 ? status : undefined;
}
