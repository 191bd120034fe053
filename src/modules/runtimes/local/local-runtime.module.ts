import { Module } from '@nestjs/common';
import { RunReporterModule } from '../run-reporter.module';
import { LocalBatchRuntime } from './local-batch-runtime';
import { LocalServiceRuntime } from './local-service-runtime';
import { LocalSandboxing } from './process/local-sandboxing';

/**
 * Provides the local runtime: workloads as child processes of this Kiln process, all
 * isolated by the one LocalSandboxing decided at boot.
 */
@Module({
  imports: [RunReporterModule],
  providers: [LocalSandboxing, LocalBatchRuntime, LocalServiceRuntime],
  exports: [LocalBatchRuntime, LocalServiceRuntime],
})
export class LocalRuntimeModule {}
