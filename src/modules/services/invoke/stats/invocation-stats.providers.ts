// The INVOCATION_STATS provider: the Redis driver when Redis is configured (several Kiln
// replicas may answer invocations, so one replica's memory would undercount), the
// memory driver on the embedded default; and the Redis driver's flush loop.
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnModuleInit,
  Provider,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../../../../infra/redis/redis.module';
import { KilnConfig } from '../../../../config/kiln.config';
import { INVOCATION_STATS, InvocationStats } from './invocation-stats.port';
import { MemoryInvocationStats } from './memory-invocation-stats';
import { RedisInvocationStats } from './redis-invocation-stats';

export function createInvocationStats(config: KilnConfig, shared: Redis | null): InvocationStats {
  if (!shared) return new MemoryInvocationStats();
  return new RedisInvocationStats(shared, `${config.redis.keyPrefix}invocations:`);
}

@Injectable()
export class InvocationStatsLifecycle implements OnModuleInit, BeforeApplicationShutdown {
  constructor(@Inject(INVOCATION_STATS) private readonly stats: InvocationStats) {}

  onModuleInit(): void {
    if (this.stats instanceof RedisInvocationStats) this.stats.start();
  }

  // before the Redis connections close at application shutdown
  async beforeApplicationShutdown(): Promise<void> {
    if (this.stats instanceof RedisInvocationStats) await this.stats.stop();
  }
}

export const INVOCATION_STATS_PROVIDERS: Provider[] = [
  { provide: INVOCATION_STATS, inject: [KilnConfig, REDIS], useFactory: createInvocationStats },
  InvocationStatsLifecycle,
];
