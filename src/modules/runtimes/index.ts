// The runtimes module's public surface: other modules import only what is exported here.
export * from './executor.port';
export { ExecutorRegistry, UnknownExecutorError } from './executor.registry';
export { ExecutorsModule } from './executors.module';
