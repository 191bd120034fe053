import { waitUntil } from './wait-until';

jest.mock(
  'node:timers/promises',
  () =>
    jest.requireActual<{ fakeTimersPromises: object }>('../../test/support/fake-sleep')
      .fakeTimersPromises,
);

describe('waitUntil', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reports satisfied as soon as the condition holds, polling at the interval', async () => {
    const start = Date.now();
    let polls = 0;
    const result = waitUntil(() => ++polls === 3, { timeoutMs: 10_000, intervalMs: 100 });
    await jest.advanceTimersByTimeAsync(200);
    await expect(result).resolves.toEqual({ satisfied: true, timedOut: false, aborted: false });
    expect(polls).toBe(3);
    expect(Date.now() - start).toBe(200);
  });

  it('awaits an async condition', async () => {
    const result = waitUntil(() => Promise.resolve(true), { timeoutMs: 1_000 });
    await expect(result).resolves.toEqual({ satisfied: true, timedOut: false, aborted: false });
  });

  it('reports timedOut once the timeout passes without the condition holding', async () => {
    let polls = 0;
    const result = waitUntil(
      () => {
        polls++;
        return false;
      },
      { timeoutMs: 1_000, intervalMs: 300 },
    );
    await jest.advanceTimersByTimeAsync(999);
    let settled = false;
    void result.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toEqual({ satisfied: false, timedOut: true, aborted: false });
    expect(polls).toBe(5); // at 0, 300, 600, 900 and 1000 ms
  });

  it('reports aborted when the signal aborts mid-wait', async () => {
    const controller = new AbortController();
    const result = waitUntil(() => false, {
      timeoutMs: 10_000,
      intervalMs: 1_000,
      signal: controller.signal,
    });
    await jest.advanceTimersByTimeAsync(1_500);
    controller.abort();
    await expect(result).resolves.toEqual({ satisfied: false, timedOut: false, aborted: true });
  });

  it('reports aborted without polling when the signal has already aborted', async () => {
    const condition = jest.fn(() => true);
    const result = await waitUntil(condition, { timeoutMs: 1_000, signal: AbortSignal.abort() });
    expect(result).toEqual({ satisfied: false, timedOut: false, aborted: true });
    expect(condition).not.toHaveBeenCalled();
  });
});
