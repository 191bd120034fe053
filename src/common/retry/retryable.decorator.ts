// @Retryable(): retry() for a method, with every retry logged (attempt, wait, error).
import { Logger } from '@nestjs/common';
import { retry, RetryOptions } from './retry';
import { messageOf } from '../errors/message-of';

export type RetryableOptions = Omit<RetryOptions, 'onRetry' | 'signal'>;

type AsyncMethod = (this: object, ...args: unknown[]) => Promise<unknown>;

/**
 * Retries an async method on transient errors (network, timeouts, 429/5xx, connection
 * errors; never 4xx or validation) with exponential backoff and full jitter.
 */
export function Retryable(options: RetryableOptions): MethodDecorator {
  return (target, key, descriptor) => {
    const original = descriptor.value as unknown as AsyncMethod;
    const owner = target.constructor.name;
    const label = `${owner}.${String(key)}`;
    const logger = new Logger(owner);
    const retried = function (this: object, ...args: unknown[]): Promise<unknown> {
      return retry(() => original.apply(this, args), {
        ...options,
        onRetry: ({ attempt, delayMs, error }) =>
          logger.warn(
            `${label} failed on attempt ${attempt} of ${options.attempts} ` +
              `(${messageOf(error)}); retrying in ${delayMs} ms`,
          ),
      });
    };
    for (const metadataKey of Reflect.getOwnMetadataKeys(original)) {
      Reflect.defineMetadata(metadataKey, Reflect.getOwnMetadata(metadataKey, original), retried);
    }
    Object.defineProperty(retried, 'name', { value: original.name });
    (descriptor as PropertyDescriptor).value = retried;
    return descriptor;
  };
}
