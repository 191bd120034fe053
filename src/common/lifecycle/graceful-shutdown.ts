// SIGTERM/SIGINT handling: readiness fails at once, in-flight requests finish, Nest's
// shutdown hooks stop background work and close connections, and the process exits
// 0 — or 1 if that takes longer than the configured grace.
import { INestApplication, Logger } from '@nestjs/common';
import { LifecycleService } from './lifecycle.service';

export function exitGracefullyOnSignals(app: INestApplication, graceMs: number): void {
  const logger = new Logger('Shutdown');
  const lifecycle = app.get(LifecycleService);
  const shutdown = (signal: NodeJS.Signals) => {
    if (lifecycle.shuttingDown) return;
    lifecycle.beginShutdown(signal);
    logger.log(`${signal} received: draining (grace ${graceMs} ms)`);
    const deadline = setTimeout(() => {
      logger.error(`Shutdown took longer than ${graceMs} ms; exiting anyway`);
      process.exit(1);
    }, graceMs);
    deadline.unref();
    app.close().then(
      () => {
        logger.log('Shutdown complete');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
