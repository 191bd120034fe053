import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequestOrigin } from '../../audit';

/** The client IP and request id, for the audit log. */
export const Origin = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestOrigin => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return { ip: request.ip ?? null, requestId: request.id ?? null };
  },
);
