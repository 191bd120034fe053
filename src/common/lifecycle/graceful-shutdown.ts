// SIGTERM/SIGINT handling: readiness fails at once (and for the drain delay, if any, that
// is all that changes), in-flight requests finish, Nest's shutdown hooks stop background
// work and close connections, and the process exits 0 — or 1 if that takes longer than
// the configured grace.
import { INestApplication, Logger } from '@nestjs/common';
import { LifecycleService } from './lifecycle.service';

export interface ShutdownTiming {
  /** Readiness answers 503 this long, while everything else is served, before the shutdown. */
  drainDelayMs: number;
  /** The shutdown's time limit, counted after the drain delay. */
  graceMs: number;
}

export function exitGracefullyOnSignals(
  app: INestApplication,
  { drainDelayMs, graceMs }: ShutdownTiming,
): void {
  const logger = new Logger('Shutdown');
  const lifecycle = app.get(LifecycleService);
  const close = () => {
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
  const shutdown = (signal: NodeJS.Signals) => {
    if (lifecycle.shuttingDown) return;
    lifecycle.beginShutdown(signal);
    if (drainDelayMs > 0) {
      logger.log(`${signal} received: not ready, still serving for ${drainDelayMs} ms`);
      setTimeout(() => {
        logger.log(`Draining (grace ${graceMs} ms)`);
        close();
      }, drainDelayMs);
      return;
    }
    logger.log(`${signal} received: draining (grace ${graceMs} ms)`);
    close();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
