// What went wrong with a proxied request before any byte of an answer came back, read
// from the error @fastify/reply-from hands over (its own error, the socket's as cause).
// It decides whether the request may go to another replica.

export type UpstreamFailure =
  /** No connection was made: the request never reached the replica. */
  | 'unreached'
  /** The connection broke before any answer: the replica died or closed it mid-request. */
  | 'reset'
  /** The replica took longer than the service's invokeTimeoutSeconds to answer. */
  | 'timeout'
  | 'other';

const UNREACHED = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

export function upstreamFailureOf(error: unknown): UpstreamFailure {
  const code = codeOf((error as { cause?: unknown }).cause) ?? codeOf(error);
  if (code && UNREACHED.has(code)) return 'unreached';
  if (code && RESET.has(code)) return 'reset';
  return (error as { statusCode?: number }).statusCode === 504 ? 'timeout' : 'other';
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
