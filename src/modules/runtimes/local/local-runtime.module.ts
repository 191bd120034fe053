import { Module } from '@nestjs/common';
import { RunReporterModule } from '../run-reporter.module';
import { LocalBatchRuntime } from './local-batch-runtime';

/** Provides the local runtime: runs as child processes of this Kiln process. */
@Module({
  imports: [RunReporterModule],
  providers: [LocalBatchRuntime],
  exports: [LocalBatchRuntime],
})
export class LocalRuntimeModule {}
