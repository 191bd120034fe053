// The one place Redis connections are made. Queue, lock and health share its settings
// and its logging: a connection error is logged once when an outage starts and once
// when it ends, not on every reconnect attempt.
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { KilnConfig } from '../../config/kiln.config';

@Injectable()
export class RedisConnectionFactory implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly connections = new Set<Redis>();

  constructor(private readonly config: KilnConfig) {}

  get configured(): boolean {
    return this.config.redis.url !== '';
  }

  /**
   * A new connection named for its purpose. `overrides` lets BullMQ ask for
   * `maxRetriesPerRequest: null`; the caller owns it, and it is closed at shutdown.
   */
  create(purpose: string, overrides: RedisOptions = {}): Redis {
    if (!this.configured)
      throw new Error(`Redis is not configured (KILN_REDIS_URL), needed for ${purpose}`);
    const connection = new Redis(this.config.redis.url, {
      connectionName: `kiln:${purpose}`,
      connectTimeout: this.config.redis.connectTimeoutMs,
      // Keep reconnecting for as long as the process lives; back off to 2 s between tries.
      retryStrategy: (times) => Math.min(times * 100, 2_000),
      ...overrides,
    });
    this.logOutagesOnce(connection, purpose);
    this.connections.add(connection);
    connection.once('end', () => this.connections.delete(connection));
    return connection;
  }

  private logOutagesOnce(connection: Redis, purpose: string): void {
    let down = false;
    let lastError = 'connection closed';
    // Without an 'error' listener ioredis prints every failed reconnect itself.
    connection.on('error', (error: Error) => {
      lastError = error.message || error.name;
    });
    connection.on('reconnecting', () => {
      if (down) return;
      down = true;
      this.logger.error(`Redis connection for ${purpose} lost (${lastError}); reconnecting`);
    });
    connection.on('ready', () => {
      if (!down) return;
      down = false;
      lastError = 'connection closed';
      this.logger.log(`Redis connection for ${purpose} restored`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    // QUIT on a connection that is down would wait for Redis to come back: drop those.
    const ready = [...this.connections].filter((connection) => connection.status === 'ready');
    await Promise.allSettled(ready.map((connection) => connection.quit()));
    for (const connection of this.connections) connection.disconnect();
  }
}
