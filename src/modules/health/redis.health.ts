import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { KilnConfig } from '../../config/kiln.config';
import { REDIS } from '../../infra/redis/redis.module';
import { withTimeout } from '../../common/with-timeout';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly health: HealthIndicatorService,
    private readonly config: KilnConfig,
  ) {}

  get configured(): boolean {
    return this.redis !== null;
  }

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    if (!this.redis) return indicator.up({ message: 'not configured' });
    // A connection that is not ready would queue the PING until it reconnects;
    // answer at once instead of holding the probe.
    if (this.redis.status !== 'ready')
      return indicator.down({ message: `connection ${this.redis.status}` });
    try {
      await withTimeout(this.redis.ping(), this.config.lifecycle.healthCheckTimeoutMs);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
