import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { Options } from 'pino-http';
import pino from 'pino';
import pretty from 'pino-pretty';
import { KilnConfig } from '../../config/kiln.config';
import { requestIdFor } from '../http/request-id';
import { REDACTED, redactSecrets } from './redact';

export interface LoggingOptions {
  /** Where log lines go; stdout by default. Tests pass a stream to read them. */
  destination?: NodeJS.WritableStream;
}

/**
 * Routes whose requests get no request-bound logger: a data-plane path where its cost
 * (a child logger and an async context per request, about a tenth of a proxied call's
 * CPU) buys little. Their log lines carry no request id; the request log line written
 * at the response (request-logging.ts) still names it.
 */
export interface LoggingRoutes {
  withoutRequestLogger?: Params['exclude'];
}

@Module({})
export class LoggingModule {
  static forRoot(
    config: KilnConfig,
    options: LoggingOptions = {},
    routes: LoggingRoutes = {},
  ): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: [httpLoggerOptions(config), destination(config, options)],
          // Every route, in the path syntax of Nest 11; nestjs-pino's default '*' makes
          // Nest warn at each start that it converted a legacy route path.
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          exclude: routes.withoutRequestLogger,
        }),
      ],
    };
  }
}

export function httpLoggerOptions(config: KilnConfig): Options {
  return {
    level: config.log.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Fastify assigns the id first (see genReqId in the app factory); reuse it.
    genReqId: (request) => (request as { id?: string }).id ?? requestIdFor(request),
    // Log lines written during a request carry just its id, under a clear name.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    // One line per request is written by logCompletedRequests, from Fastify's own view
    // of the route and status.
    autoLogging: false,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'res.headers["set-cookie"]',
      ],
      censor: REDACTED,
    },
    formatters: { log: (object) => redactSecrets(object) },
  };
}

/**
 * Standard output, written off the event loop: Node writes process.stdout synchronously
 * when it is a file or a pipe (a container's log), one system call per line on the
 * thread that answers requests. pino's destination hands the writes to libuv's thread
 * pool and joins the lines that arrive meanwhile into one write; what is still buffered
 * is written synchronously when the process exits. One for the process, so two apps in
 * it (tests) do not interleave their writes out of order.
 */
let stdout: pino.DestinationStream | undefined;

function destination(
  config: KilnConfig,
  options: LoggingOptions,
): NodeJS.WritableStream | pino.DestinationStream {
  const target = options.destination ?? (stdout ??= pino.destination({ dest: 1, sync: false }));
  // pino-pretty as an in-process stream rather than a transport: no worker thread,
  // so the embedded default stays small.
  return config.log.format === 'pretty'
    ? pretty({
        destination: target,
        colorize: false,
        singleLine: true,
        translateTime: 'SYS:HH:MM:ss.l',
      })
    : target;
}
