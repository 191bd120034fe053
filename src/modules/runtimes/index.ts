// The runtimes module's public surface: other modules import only what is exported here.
export * from './batch-runtime.port';
export * from './run-reporter.port';
export * from './service-runtime.port';
export { RunReporterRelay } from './run-reporter.relay';
export { RuntimeRegistry, UnknownRuntimeError } from './runtime.registry';
export { RuntimesModule } from './runtimes.module';
export { ServiceRuntimeRegistry } from './service-runtime.registry';
export { UnrunnableTaskError } from './unrunnable-task.error';
