import { IsBoolean, IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { Env } from '../env.decorator';

export class HttpConfig {
  /** Port the HTTP server listens on. */
  @Env('PORT')
  @IsInt()
  @Min(0)
  @Max(65535)
  port: number;

  /** Address the HTTP server binds to. */
  @Env('KILN_HOST')
  @IsString()
  @MinLength(1)
  host: string;

  /** Largest request body accepted, in bytes; larger bodies get 413. */
  @Env('KILN_HTTP_BODY_LIMIT_BYTES')
  @IsInt()
  @Min(1024)
  bodyLimitBytes: number;

  /** Trust X-Forwarded-* headers (set when Kiln runs behind a proxy or ingress). */
  @Env('KILN_HTTP_TRUST_PROXY')
  @IsBoolean()
  trustProxy: boolean;

  /**
   * Time a request may take before it is answered 503, in ms; 0 turns the limit off.
   * Routes override it with @RequestTimeout(ms); streaming routes use @RequestTimeout(0).
   */
  @Env('KILN_HTTP_REQUEST_TIMEOUT_MS')
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  requestTimeoutMs: number;

  /** Open event and log streams (SSE) one user may hold on one process; past it 429. */
  @Env('KILN_HTTP_MAX_STREAMS_PER_USER')
  @IsInt()
  @Min(1)
  maxStreamsPerUser: number;

  /** Open event and log streams (SSE) of all users together on one process; past it 429. */
  @Env('KILN_HTTP_MAX_STREAMS')
  @IsInt()
  @Min(1)
  maxStreams: number;

  /**
   * How often, in ms, open streams are checked (one query for all of them) against
   * disabled users, ended sessions and revoked or expired API tokens; those end.
   */
  @Env('KILN_HTTP_STREAM_ACCESS_CHECK_MS')
  @IsInt()
  @Min(100)
  @Max(300_000)
  streamAccessCheckMs: number;

  /** Serve Swagger UI at /docs and the spec at /docs/openapi.json. */
  @Env('KILN_DOCS_ENABLED')
  @IsBoolean()
  docsEnabled: boolean;

  /** Serve the web console (the built single-page app) at /. */
  @Env('KILN_CONSOLE_ENABLED')
  @IsBoolean()
  consoleEnabled: boolean;

  /**
   * Directory of the console's built files (index.html and assets/); a relative path is
   * taken from Kiln's install directory. Without an index.html there, / answers 404.
   */
  @Env('KILN_CONSOLE_DIR')
  @IsString()
  @MinLength(1)
  consoleDir: string;
}
