// Builds a fully configured, initialised Kiln application (not yet listening). Used by
// main.ts, the e2e tests and the OpenAPI generator, so all three run the same app.
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule, AppModuleOptions } from './app.module';
import { answerClientError, answerRouterError } from './common/errors/framework-problems';
import { FrameworkLogLevels } from './common/logging/framework-log-levels';
import { logCompletedRequests } from './common/logging/request-logging';
import { lingerAfterEarlyAnswers } from './common/http/linger-after-early-answer';
import { closeConnectionsWhileDraining } from './common/http/drain-connections';
import { REQUEST_ID_HEADER, requestIdFor } from './common/http/request-id';
import { useJsonBodies } from './common/http/json-body';
import { limitRequestTime } from './common/http/request-time-limit';
import { LifecycleService } from './common/lifecycle/lifecycle.service';
import { KilnConfig } from './config/kiln.config';
import { serveConsole } from './modules/console';
import { HttpPrometheus } from './modules/prometheus/http.prometheus';
import { setupOpenApi } from './openapi/openapi';

export const API_PREFIX = 'api/v1';

/** Routes that stay outside /api/v1: probes, scrapes and docs have well-known paths. */
const UNPREFIXED_ROUTES = [
  { path: 'health/live', method: RequestMethod.GET },
  { path: 'health/ready', method: RequestMethod.GET },
  { path: 'health/startup', method: RequestMethod.GET },
  { path: 'metrics', method: RequestMethod.GET },
];

export async function createApp(
  config: KilnConfig,
  options: AppModuleOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    genReqId: requestIdFor,
    // Requests on kept-alive connections during shutdown get 503 and a closed connection.
    return503OnClosing: true,
    frameworkErrors: answerRouterError,
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options),
    adapter,
    {
      bufferLogs: true,
      abortOnError: false,
      // Request bodies are JSON only (useJsonBodies): NestJS 12 would otherwise add a
      // form-urlencoded parser at init, and a form body would reach validation.
      bodyParser: false,
    },
  );
  app.useLogger(new FrameworkLogLevels(app.get(Logger)));
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_ROUTES });
  configureFastify(app, config);
  if (config.http.docsEnabled) setupOpenApi(app);
  await app.init();
  return app;
}

function configureFastify(app: NestFastifyApplication, config: KilnConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain');
  useJsonBodies(app, config.http.bodyLimitBytes);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  // Errors Fastify raises before a route runs (malformed JSON, unsupported media type,
  // body too large) reach the global ProblemDetailsFilter through Nest's own handler.
  logCompletedRequests(fastify);
  limitRequestTime(fastify, config.http.requestTimeoutMs);
  lingerAfterEarlyAnswers(fastify);
  closeConnectionsWhileDraining(fastify, app.get(LifecycleService));
  app.get(HttpPrometheus).instrument(fastify);
  serveConsole(fastify, config.http);
}
