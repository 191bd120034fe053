import {
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import Redis from 'ioredis';
import { KilnConfig } from '../../config/kiln.config';
import { REDIS } from '../redis/redis.module';
import { RedisConnectionFactory } from '../redis/redis-connection.factory';
import { MemoryWakeups } from './memory-wakeups';
import { RedisWakeups } from './redis-wakeups';
import { resolveWakeupsDriver } from './wakeups-driver';
import { WAKEUPS } from './wakeups.port';

/** The WAKEUPS provider: wakes of the driver the config chooses. */
export function createWakeups(
  config: KilnConfig,
  shared: Redis | null,
  connections: RedisConnectionFactory,
): MemoryWakeups | RedisWakeups {
  if (resolveWakeupsDriver(config) === 'memory' || !shared) return new MemoryWakeups();
  const channel = `${config.redis.keyPrefix}wakeups`;
  return new RedisWakeups(shared, connections.create('wakeups'), channel);
}

@Injectable()
class WakeupsLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(WAKEUPS) private readonly wakeups: MemoryWakeups | RedisWakeups) {}

  onModuleInit(): void {
    if (this.wakeups instanceof RedisWakeups) this.wakeups.start();
  }

  onApplicationShutdown(): void {
    if (this.wakeups instanceof RedisWakeups) this.wakeups.stop();
  }
}

/** Provides WAKEUPS (inject it as `Wakeups`) with the driver chosen by config. */
@Global()
@Module({
  providers: [
    {
      provide: WAKEUPS,
      inject: [KilnConfig, REDIS, RedisConnectionFactory],
      useFactory: createWakeups,
    },
    WakeupsLifecycle,
  ],
  exports: [WAKEUPS],
})
export class WakeupsModule {}
