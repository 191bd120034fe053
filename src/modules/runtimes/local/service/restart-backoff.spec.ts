import { RestartBackoff } from './restart-backoff';

describe('RestartBackoff', () => {
  const options = { firstMs: 100, maxMs: 1000, resetAfterMs: 5000 };

  it('doubles the wait after each quick crash, up to the cap', () => {
    const backoff = new RestartBackoff(options);
    expect([0, 0, 0, 0, 0, 0].map(() => backoff.next(10))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('starts over once a replica stayed up past the reset time', () => {
    const backoff = new RestartBackoff(options);
    backoff.next(10);
    backoff.next(10);
    expect(backoff.next(6000)).toBe(100);
  });
});
