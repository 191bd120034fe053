import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { RedisConnectionFactory } from '../redis/redis-connection.factory';
import { CachedJobQueues } from './cached-job-queues';
import { JOB_QUEUES } from './job-queue.port';
import { checkRedisEvictionPolicy } from './redis-eviction-policy';

/** Checks Redis at boot (bullmq driver) and drains every queue before connections close. */
@Injectable()
export class JobQueuesLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobQueues');
  private evictionCheck: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(JOB_QUEUES) private readonly queues: CachedJobQueues,
    private readonly redis: RedisConnectionFactory,
  ) {}

  onApplicationBootstrap(): void {
    this.logger.log(`Job queue driver: ${this.queues.driver}`);
    // Not awaited: an unreachable Redis must not hold up boot; the result is only a log line.
    if (this.queues.driver === 'bullmq') this.evictionCheck = this.checkEvictionPolicy();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.queues.closeAll();
    await this.evictionCheck;
  }

  private async checkEvictionPolicy(): Promise<void> {
    const connection = this.redis.create('queue-boot-check', { maxRetriesPerRequest: 1 });
    try {
      await checkRedisEvictionPolicy(connection, this.logger);
    } finally {
      connection.disconnect();
    }
  }
}
