// Answers 503 (problem+json, through the global filter) when a handler takes longer
// than its limit: @RequestTimeout(ms) on the route or controller, else the config.
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable, throwError, timeout } from 'rxjs';
import { KilnConfig } from '../../config/kiln.config';
import { REQUEST_TIMEOUT_MS } from './request-timeout.decorator';
import { RequestTimedOutError } from './request-timeout.error';

@Injectable()
export class RequestTimeoutInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: KilnConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const limitMs =
      this.reflector.getAllAndOverride<number | undefined>(REQUEST_TIMEOUT_MS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? this.config.http.requestTimeoutMs;
    if (context.getType() !== 'http' || limitMs === 0) return next.handle();
    // `first`, not `each`: the limit is on the answer starting, and a stream that has
    // started is not cut off between items.
    return next.handle().pipe(
      timeout({
        first: limitMs,
        with: () => throwError(() => new RequestTimedOutError(limitMs)),
      }),
    );
  }
}
