// @LeaderOnly(): a @Cron/@Interval/@Timeout handler that runs on the leader only.
//
// A decorator has no DI access, so the work is split in two:
// - at class definition, the decorator replaces the method with a wrapper that hands
//   each call to the LeaderOnlyRunner bound to the instance, and copies the method's
//   metadata (the @Interval/@Cron marks @nestjs/schedule looks for) onto the wrapper,
//   so both decorator orders work;
// - at module init, LeaderOnlyBinder (a provider with DI) finds every instance with
//   such methods through DiscoveryService and binds the runner to it.
// ScheduleExplorer (also onModuleInit) only records `instance[method]`, which is the
// wrapper from the start, and starts timers in onApplicationBootstrap, after every
// onModuleInit; so the first tick always finds its runner, whatever the module order.
// Called before any binding (e.g. on an instance made with `new` in a unit test), the
// wrapper does nothing: it fails closed, like a process that is not leader.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { LeaderOnlyRunner } from './leader-only.runner';

const LEADER_ONLY_NAME = Symbol('kiln:leader-only-name');
const RUNNER = Symbol('kiln:leader-only-runner');

type Handler = (this: object, ...args: unknown[]) => unknown;

/**
 * Runs the handler only while this process is leader, never overlapping its previous
 * run, with the term's AbortSignal as first argument. `name` labels logs and metrics
 * (default `Class.method`). Call the method with no arguments; the signal is supplied.
 */
export function LeaderOnly(name?: string): MethodDecorator {
  return (target, key, descriptor) => {
    const original = descriptor.value as unknown as Handler;
    const label = name ?? `${target.constructor.name}.${String(key)}`;
    const logger = new Logger('Scheduler');
    const wrapper = async function (this: object, ...args: unknown[]): Promise<void> {
      const runner = runnerOf(this);
      if (!runner) {
        logger.warn(`Scheduled ${label} was called on an instance no LeaderOnlyRunner is bound to`);
        return;
      }
      await runner.run(label, (signal) => original.apply(this, [signal, ...args]));
    };
    copyMetadata(original, wrapper);
    Object.defineProperty(wrapper, 'name', { value: original.name });
    Reflect.defineMetadata(LEADER_ONLY_NAME, label, wrapper);
    (descriptor as PropertyDescriptor).value = wrapper;
    return descriptor;
  };
}

/** The name (for logs and metrics) when `method` is a @LeaderOnly handler. */
export function leaderOnlyNameOf(method: unknown): string | undefined {
  if (typeof method !== 'function') return undefined;
  return Reflect.getMetadata(LEADER_ONLY_NAME, method) as string | undefined;
}

/** Makes `instance`'s @LeaderOnly methods run through `runner` (the binder, or a unit test). */
export function bindLeaderOnlyRunner(instance: object, runner: LeaderOnlyRunner): void {
  Object.defineProperty(instance, RUNNER, { value: runner, configurable: true });
}

function runnerOf(instance: object): LeaderOnlyRunner | undefined {
  return (instance as Record<symbol, LeaderOnlyRunner | undefined>)[RUNNER];
}

function copyMetadata(from: object, to: object): void {
  for (const metadataKey of Reflect.getOwnMetadataKeys(from)) {
    Reflect.defineMetadata(metadataKey, Reflect.getOwnMetadata(metadataKey, from), to);
  }
}
