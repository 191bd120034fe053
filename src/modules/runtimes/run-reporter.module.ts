import { Module } from '@nestjs/common';
import { RunReporterRelay } from './run-reporter.relay';

/** The one RunReporterRelay every runtime reports through (see RunReporterRelay). */
@Module({
  providers: [RunReporterRelay],
  exports: [RunReporterRelay],
})
export class RunReporterModule {}
