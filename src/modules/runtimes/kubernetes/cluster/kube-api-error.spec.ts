import { ApiException } from '@kubernetes/client-node';
import { isTransientError } from '../../../../common/retry/transient-error';
import { isAlreadyExists, isGone, isNotFound } from './kube-api-error';

describe('errors of @kubernetes/client-node', () => {
  const apiError = (code: number) => new ApiException(code, 'message', {}, {});

  it('counts 429, 5xx and failed connections (surfaced as 500) as transient', () => {
    expect([429, 500, 503].map((code) => isTransientError(apiError(code)))).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('does not retry what the server refused for cause', () => {
    expect([400, 403, 404, 409, 410, 422].map((code) => isTransientError(apiError(code)))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('recognises the statuses the runtime treats as answers', () => {
    expect(isNotFound(apiError(404))).toBe(true);
    expect(isAlreadyExists(apiError(409))).toBe(true);
    expect(isGone(Object.assign(new Error('Gone'), { statusCode: 410 }))).toBe(true);
    expect(isNotFound(new Error('socket hang up'))).toBe(false);
  });
});
