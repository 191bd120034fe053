// Starts one Kiln server process: config, app, signals, listen. main.ts calls it with
// no options; tests start real processes through it with extra modules.
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from './app.factory';
import { AppModuleOptions } from './app.module';
import { exitGracefullyOnSignals } from './common/lifecycle/graceful-shutdown';
import { messageOf } from './common/errors/message-of';
import { LifecycleService } from './common/lifecycle/lifecycle.service';
import { ProcessRole } from './common/process/process-role';
import { serveProbesOnly } from './common/process/serve-probes-only';
import { ConfigError, loadConfig } from './config/config.loader';

export async function startServer(options: AppModuleOptions = {}): Promise<NestFastifyApplication> {
  const config = loadConfig();
  const app = await createApp(config, options);
  exitGracefullyOnSignals(app, {
    drainDelayMs: config.lifecycle.drainDelayMs,
    graceMs: config.lifecycle.shutdownGraceMs,
  });
  if (!app.get(ProcessRole).servesApi) serveProbesOnly(app.getHttpAdapter().getInstance());
  await app.listen({ port: config.http.port, host: config.http.host });
  app.get(LifecycleService).markStarted();
  new Logger('Kiln').log(`Listening on ${boundUrl(app)} (pid ${process.pid})`);
  return app;
}

/**
 * The address the socket is really bound to (Nest's getUrl() shows 127.0.0.1 for 0.0.0.0),
 * so an operator sees whether Kiln is reachable from other machines.
 */
function boundUrl(app: NestFastifyApplication): string {
  const { address, family, port } = app.getHttpServer().address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;
  const everywhere = address === '0.0.0.0' || address === '::';
  return `http://${host}:${port}${everywhere ? ` (every interface; http://localhost:${port} here)` : ''}`;
}

/** Runs `start`, and on failure prints why (a config error names its key) and exits 1. */
export function runOrExit(start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
    } else {
      console.error(`Kiln failed to start: ${messageOf(error)}`);
    }
    process.exit(1);
  });
}
