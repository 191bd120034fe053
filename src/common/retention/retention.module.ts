import { Global, Module } from '@nestjs/common';
import { RetentionRegistry } from './retention-registry';
import { RetentionRunner } from './retention-runner';
import { RetentionPrometheus } from './retention.prometheus';

/**
 * The retention registry for every module, and the scheduled leader-only run over it.
 * Global, so a module registers its rules without importing this one.
 */
@Global()
@Module({
  providers: [RetentionRegistry, RetentionRunner, RetentionPrometheus],
  exports: [RetentionRegistry, RetentionRunner],
})
export class RetentionModule {}
