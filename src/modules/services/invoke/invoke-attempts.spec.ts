import { InvokeAttempts } from './invoke-attempts';

describe('InvokeAttempts', () => {
  it('tries another replica after every one that could not be reached', () => {
    const attempts = new InvokeAttempts(true);
    expect([1, 2, 3].map(() => attempts.triesAnother('unreached'))).toEqual([true, true, true]);
  });

  it('sends a request whose connection broke off to one other replica, not a third', () => {
    const attempts = new InvokeAttempts(true);
    expect(attempts.triesAnother('reset')).toBe(true);
    expect(attempts.triesAnother('reset')).toBe(false);
  });

  it('does not send a broken-off request again when it cannot be replayed', () => {
    const attempts = new InvokeAttempts(false);
    expect(attempts.triesAnother('reset')).toBe(false);
    expect(attempts.triesAnother('unreached')).toBe(true);
  });

  it('never sends on after a timeout or an answer it could not read', () => {
    const attempts = new InvokeAttempts(true);
    expect(attempts.triesAnother('timeout')).toBe(false);
    expect(attempts.triesAnother('other')).toBe(false);
  });

  it('counts as retried once a second replica was sent the request', () => {
    const attempts = new InvokeAttempts(true);
    attempts.sentTo('http://a');
    expect(attempts.retried).toBe(false);
    attempts.sentTo('http://b');
    expect(attempts.retried).toBe(true);
  });
});
