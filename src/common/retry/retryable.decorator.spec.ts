import { Logger } from '@nestjs/common';
import { InvalidInputError } from '../errors/domain-error';
import { Retryable } from './retryable.decorator';

jest.mock(
  'node:timers/promises',
  () =>
    jest.requireActual<{ fakeTimersPromises: object }>('../../../test/support/fake-sleep')
      .fakeTimersPromises,
);

function connectionReset(): Error {
  return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
}

/** A client whose call fails with `failures` in order, then answers 'ok'; it notes when it was called. */
class FlakyClient {
  readonly calledAt: number[] = [];

  constructor(private readonly failures: unknown[]) {}

  @Retryable({ attempts: 4, baseDelayMs: 100, factor: 2, maxDelayMs: 250 })
  async call(): Promise<string> {
    this.calledAt.push(Date.now());
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure as Error;
    return 'ok';
  }

  get waits(): number[] {
    return this.calledAt.slice(1).map((at, index) => at - this.calledAt[index]);
  }
}

async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await jest.runAllTimersAsync();
  return outcome;
}

describe('@Retryable', () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.useRealTimers();
    warn.mockRestore();
  });

  it('tries again after transient errors and returns the first success', async () => {
    const client = new FlakyClient([connectionReset(), connectionReset()]);
    await expect(settle(client.call())).resolves.toEqual({ value: 'ok' });
    expect(client.calledAt).toHaveLength(3);
  });

  it('gives up after the configured number of tries with the last error', async () => {
    const errors = [1, 2, 3, 4, 5].map(() => connectionReset());
    const client = new FlakyClient([...errors]);
    const { error } = await settle(client.call());
    expect(error).toBe(errors[3]);
    expect(client.calledAt).toHaveLength(4);
  });

  it('waits a full-jitter delay: between 0 and base * factor^(n-1), capped', async () => {
    const caps = [100, 200, 250];
    for (let run = 0; run < 25; run++) {
      const client = new FlakyClient([connectionReset(), connectionReset(), connectionReset()]);
      await settle(client.call());
      client.waits.forEach((wait, index) => {
        expect(wait).toBeGreaterThanOrEqual(0);
        expect(wait).toBeLessThanOrEqual(caps[index]);
      });
    }
  });

  it('logs each retry with its attempt and wait', async () => {
    const client = new FlakyClient([connectionReset()]);
    await settle(client.call());
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0][0]);
    expect(message).toContain('FlakyClient.call failed on attempt 1 of 4');
    expect(message).toContain(`retrying in ${client.waits[0]} ms`);
  });

  it.each([
    ['a 4xx answer', Object.assign(new Error('Bad Request'), { status: 400 })],
    ['a 404 answer', Object.assign(new Error('Not Found'), { statusCode: 404 })],
    ['a validation error', new InvalidInputError('name is required')],
    ['a plain programming error', new TypeError('x is not a function')],
  ])('does not retry %s', async (_name, failure) => {
    const client = new FlakyClient([failure]);
    const { error } = await settle(client.call());
    expect(error).toBe(failure);
    expect(client.calledAt).toHaveLength(1);
    expect(warn).not.toHaveBeenCalled();
  });

  it('retries a 503 answer', async () => {
    const client = new FlakyClient([Object.assign(new Error('busy'), { status: 503 })]);
    await expect(settle(client.call())).resolves.toEqual({ value: 'ok' });
    expect(client.calledAt).toHaveLength(2);
  });
});
