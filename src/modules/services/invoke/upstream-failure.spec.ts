import { upstreamFailureOf } from './upstream-failure';

/** An error as @fastify/reply-from hands it over: its own code and status, the socket's as cause. */
function proxyError(code: string, statusCode: number, causeCode?: string): Error {
  const error = Object.assign(new Error(code), { code, statusCode });
  if (causeCode)
    Object.assign(error, { cause: Object.assign(new Error(causeCode), { code: causeCode }) });
  return error;
}

describe('upstreamFailureOf', () => {
  it('reads a refused or timed-out connect as a replica never reached', () => {
    const refused = proxyError('FST_REPLY_FROM_INTERNAL_SERVER_ERROR', 500, 'ECONNREFUSED');
    expect(upstreamFailureOf(refused)).toBe('unreached');
    const connectTimeout = proxyError('UND_ERR_CONNECT_TIMEOUT', 504, 'UND_ERR_CONNECT_TIMEOUT');
    expect(upstreamFailureOf(connectTimeout)).toBe('unreached');
  });

  it('reads a reset or a socket closed before the answer as a broken connection', () => {
    expect(upstreamFailureOf(proxyError('ECONNRESET', 500, 'ECONNRESET'))).toBe('reset');
    expect(upstreamFailureOf(proxyError('UND_ERR_SOCKET', 500, 'UND_ERR_SOCKET'))).toBe('reset');
  });

  it('reads a replica slower than the invoke timeout as a timeout, not a failure to retry', () => {
    const slow = proxyError('FST_REPLY_FROM_GATEWAY_TIMEOUT', 504, 'UND_ERR_HEADERS_TIMEOUT');
    expect(upstreamFailureOf(slow)).toBe('timeout');
  });

  it('reads anything else as another failure', () => {
    expect(upstreamFailureOf(proxyError('FST_REPLY_FROM_BAD_GATEWAY', 502))).toBe('other');
  });
});
