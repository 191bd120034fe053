import { Global, Module } from '@nestjs/common';
import Redis from 'ioredis';
import { RedisConnectionFactory } from './redis-connection.factory';

/** Token of the shared general-purpose connection; `null` when Redis is not configured. */
export const REDIS = Symbol('REDIS');

@Global()
@Module({
  providers: [
    RedisConnectionFactory,
    {
      provide: REDIS,
      inject: [RedisConnectionFactory],
      useFactory: (factory: RedisConnectionFactory): Redis | null =>
        factory.configured ? factory.create('shared') : null,
    },
  ],
  exports: [RedisConnectionFactory, REDIS],
})
export class RedisModule {}
