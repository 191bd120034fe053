import { REDACTED, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('hides secret-looking keys at any depth and keeps the rest', () => {
    const redacted = redactSecrets({
      username: 'ada',
      password: 'p',
      body: { refreshToken: 'r', nested: [{ apiKey: 'k', value: 1 }] },
      headers: { authorization: 'Bearer x', cookie: 'sid=1', accept: 'json' },
      user: { passwordHash: 'h', clientSecret: 's' },
    });
    expect(redacted).toEqual({
      username: 'ada',
      password: REDACTED,
      body: { refreshToken: REDACTED, nested: [{ apiKey: REDACTED, value: 1 }] },
      headers: { authorization: REDACTED, cookie: REDACTED, accept: 'json' },
      user: { passwordHash: REDACTED, clientSecret: REDACTED },
    });
  });

  it('leaves the logged object itself untouched', () => {
    const original = { password: 'p' };
    redactSecrets(original);
    expect(original.password).toBe('p');
  });
});
