import { retryDelaySeconds } from './retry-backoff';

describe('retryDelaySeconds', () => {
  it('doubles per retry, between half and all of the exponential value', () => {
    expect(retryDelaySeconds(10, 1, 3600, () => 0)).toBe(5);
    expect(retryDelaySeconds(10, 1, 3600, () => 1)).toBe(10);
    expect(retryDelaySeconds(10, 3, 3600, () => 0)).toBe(20);
    expect(retryDelaySeconds(10, 3, 3600, () => 1)).toBe(40);
  });

  it('never exceeds the cap', () => {
    expect(retryDelaySeconds(10, 30, 600, () => 1)).toBe(600);
  });

  it('retries at once when the task asked for no backoff', () => {
    expect(retryDelaySeconds(0, 4, 600)).toBe(0);
  });
});
