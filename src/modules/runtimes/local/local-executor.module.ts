import { Module } from '@nestjs/common';
import { LocalExecutor } from './local-executor';

/** Provides the local executor: runs as child processes of this Kiln process. */
@Module({
  providers: [LocalExecutor],
  exports: [LocalExecutor],
})
export class LocalExecutorModule {}
