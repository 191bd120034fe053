// Jest's fake timers replace the global setTimeout but not node:timers/promises, which
// retry() and waitUntil() sleep with. A spec that mocks the module with this
// (`jest.mock('node:timers/promises', () => require('…/fake-sleep').fakeTimersPromises)`)
// makes those sleeps follow the fake clock.
export const fakeTimersPromises = {
  setTimeout<T>(ms: number, value?: T, options: { signal?: AbortSignal } = {}): Promise<T> {
    const { signal } = options;
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(value as T);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
