import { Global, Module } from '@nestjs/common';
import { KilnConfig } from '../../config/kiln.config';
import { RedisConnectionFactory } from '../redis/redis-connection.factory';
import { JOB_QUEUES } from './job-queue.port';
import { createJobQueues } from './job-queues.factory';
import { JobQueuesLifecycle } from './job-queues.lifecycle';

/** Provides JOB_QUEUES (inject it as `JobQueues`) with the driver chosen by config. */
@Global()
@Module({
  providers: [
    {
      provide: JOB_QUEUES,
      inject: [KilnConfig, RedisConnectionFactory],
      useFactory: createJobQueues,
    },
    JobQueuesLifecycle,
  ],
  exports: [JOB_QUEUES],
})
export class JobsModule {}
