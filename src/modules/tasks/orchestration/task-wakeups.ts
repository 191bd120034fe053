// Asks for a dispatch or reconcile pass at once, wherever the leader runs. Services call
// it without depending on the dispatcher and reconciler themselves (they depend on
// services). With Redis, a wake is also published so the leader hears a submit made on
// an api replica and a run ended on a worker; without Redis there is one process, and
// the local handlers are all there is. The interval ticks stay the fallback either way.
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { KilnConfig } from '../../../config/kiln.config';
import { REDIS } from '../../../infra/redis/redis.module';
import { RedisConnectionFactory } from '../../../infra/redis/redis-connection.factory';

type Pass = 'dispatch' | 'reconcile';

/** A burst of submits publishes one wake per pass per this many ms, not one per submit. */
const PUBLISH_COALESCE_MS = 20;

@Injectable()
export class TaskWakeups implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TaskWakeups.name);
  private readonly handlers: Partial<Record<Pass, () => void>> = {};
  private readonly pendingPublish = new Set<Pass>();
  private publishTimer?: NodeJS.Timeout;
  private subscriber?: Redis;
  private readonly channel: string;

  constructor(
    @Inject(KilnConfig) config: KilnConfig,
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly connections: RedisConnectionFactory,
  ) {
    this.channel = `${config.redis.keyPrefix}tasks:wake`;
  }

  register(handlers: { dispatch: () => void; reconcile: () => void }): void {
    Object.assign(this.handlers, handlers);
  }

  dispatch(): void {
    this.wake('dispatch');
  }

  reconcile(): void {
    this.wake('reconcile');
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis) return;
    this.subscriber = this.connections.create('task-wakeups');
    this.subscriber.on('message', (_channel: string, pass: string) => {
      if (pass === 'dispatch' || pass === 'reconcile') this.handlers[pass]?.();
    });
    // resolves once subscribed; a Redis outage at boot must not hold the app up
    void this.subscriber
      .subscribe(this.channel)
      .catch((error) => this.logger.warn({ err: error }, 'cannot subscribe to task wakes'));
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.publishTimer);
    this.subscriber?.disconnect();
  }

  private wake(pass: Pass): void {
    this.handlers[pass]?.();
    if (!this.redis) return;
    this.pendingPublish.add(pass);
    this.publishTimer ??= setTimeout(() => this.publish(), PUBLISH_COALESCE_MS);
  }

  private publish(): void {
    this.publishTimer = undefined;
    for (const pass of this.pendingPublish) {
      // best effort: the leader's interval tick catches anything a lost wake missed
      this.redis?.publish(this.channel, pass).catch(() => undefined);
    }
    this.pendingPublish.clear();
  }
}
