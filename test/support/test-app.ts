import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { LifecycleService } from '../../src/common/lifecycle/lifecycle.service';
import { registerKilnServer } from './contract/kiln-servers';
import { testConfig } from './test-config';

/**
 * nestjs-pino's reset of its process-wide root logger, for tests. Its package exports
 * map hides the module that defines it, so it is loaded from beside the entry point.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { __resetOutOfContextForTests } = require(
  join(dirname(require.resolve('nestjs-pino')), 'PinoLogger.js'),
) as { __resetOutOfContextForTests: () => void };

export interface TestApp {
  app: NestFastifyApplication;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Every log line written so far, parsed from JSON. */
  logs: Array<Record<string, unknown>>;
  /** The raw log text, for scanning for secrets. */
  logText(): string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Extra modules, e.g. a test-only controller. */
  imports?: Array<Type | DynamicModule>;
}

/** Test apps of this Jest process not closed yet. */
let liveApps = 0;

/** Boots the real app on the embedded default and listens on a free loopback port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = testConfig({ KILN_LOG_LEVEL: 'info', KILN_LOG_FORMAT: 'json', ...options.env });
  // nestjs-pino keeps the first app's logger for `new Logger()` calls made outside a
  // request; without a reset, a second app in the same Jest process would write those
  // lines into the first app's capture and log scans would pass without looking. The
  // reset would pull the logger from under an app still running (replicas side by
  // side), so it happens only when none is.
  if (liveApps === 0) __resetOutOfContextForTests();
  liveApps++;
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const app = await createApp(config, { logging: { destination }, imports: options.imports });
  await app.listen({ port: 0, host: '127.0.0.1' });
  app.get(LifecycleService).markStarted();
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  registerKilnServer(url);
  const logText = () => chunks.join('');
  return {
    app,
    url,
    get logs() {
      return logText()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    logText,
    close: async () => {
      liveApps--;
      await app.close();
    },
  };
}
