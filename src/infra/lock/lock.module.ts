import {
  BeforeApplicationShutdown,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { KilnConfig } from '../../config/kiln.config';
import { RedisConnectionFactory } from '../redis/redis-connection.factory';
import { DataDirLock } from './data-dir-lock';
import { MemoryLeaderLock } from './drivers/memory-leader-lock';
import { RedisLeaderLock } from './drivers/redis-leader-lock';
import { LEADER_LOCK } from './leader-lock.port';
import { ManagedLeaderLock } from './managed-leader-lock';

export function createLeaderLock(
  config: KilnConfig,
  redis: RedisConnectionFactory,
): ManagedLeaderLock {
  const driver =
    config.lock.driver === 'auto' ? (redis.configured ? 'redis' : 'memory') : config.lock.driver;
  if (driver === 'memory') return new MemoryLeaderLock(DataDirLock.acquire(config.dataDir));
  if (!redis.configured)
    throw new Error('KILN_LOCK_DRIVER (lock.driver): redis needs KILN_REDIS_URL to be set');
  const key = config.redis.keyPrefix + config.lock.key;
  const renewEveryMs = Math.floor(config.lock.ttlMs / 3);
  // A lock command must fail fast rather than wait in a queue for a reconnect: a late
  // answer is worth nothing, and replaying a stale command after a reconnect is wrong.
  const connection = redis.create('leader-lock', {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: renewEveryMs,
  });
  return new RedisLeaderLock(connection, {
    key,
    epochKey: `${key}:epoch`,
    ttlMs: config.lock.ttlMs,
  });
}

/**
 * Starts the lock once every module is initialised and gives it up before shutdown
 * hooks close connections, so a standby takes over at once instead of after the TTL.
 */
@Injectable()
class LeaderLockLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(LEADER_LOCK) private readonly lock: ManagedLeaderLock,
    registry: Registry,
  ) {
    new Gauge({
      name: 'kiln_leader',
      help: '1 while this process holds the leader lock, else 0',
      registers: [registry],
      collect() {
        this.set(lock.isLeader ? 1 : 0);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.lock.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.lock.stop();
  }
}

/** Provides LEADER_LOCK (a LeaderLock), with the driver chosen by `lock.driver`. */
@Global()
@Module({
  providers: [
    {
      provide: LEADER_LOCK,
      inject: [KilnConfig, RedisConnectionFactory],
      useFactory: createLeaderLock,
    },
    LeaderLockLifecycle,
  ],
  exports: [LEADER_LOCK],
})
export class LockModule {}
