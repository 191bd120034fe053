import { Writable } from 'node:stream';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { createApp } from '../../src/app.factory';
import { LifecycleService } from '../../src/common/lifecycle/lifecycle.service';
import { registerKilnServer } from './contract/kiln-servers';
import { testConfig } from './test-config';

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

/** Boots the real app on the embedded default and listens on a free loopback port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = testConfig({ KILN_LOG_LEVEL: 'info', KILN_LOG_FORMAT: 'json', ...options.env });
  // nestjs-pino keeps the first app's logger for `new Logger()` calls made outside a
  // request; without a reset, a second app in the same Jest process would write those
  // lines into the first app's capture and log scans would pass without looking.
  __resetOutOfContextForTests();
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
    close: () => app.close(),
  };
}
