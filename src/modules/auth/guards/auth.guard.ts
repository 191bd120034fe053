import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { IS_PUBLIC } from '../../../common/decorators/public.decorator';
import { ForbiddenError, UnauthenticatedError } from '../auth.errors';
import { Authenticator } from '../authenticator.service';
import { ROLES_KEY } from '../decorators/roles.decorator';
import { SCOPES_KEY } from '../decorators/require-scopes.decorator';
import { Principal } from '../principal';
import { Role } from '../role';
import { Scope } from '../scope';

/** The global guard: every route needs a valid bearer credential unless it is @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.metadata<boolean>(IS_PUBLIC, context)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = await this.authenticator.authenticate(bearerOf(request));
    assertRoles(principal, this.metadata<Role[]>(ROLES_KEY, context) ?? []);
    assertScopes(principal, this.metadata<Scope[]>(SCOPES_KEY, context) ?? []);
    request.principal = principal;
    return true;
  }

  private metadata<T>(key: string, context: ExecutionContext): T | undefined {
    return this.reflector.getAllAndOverride<T>(key, [context.getHandler(), context.getClass()]);
  }
}

function bearerOf(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) throw new UnauthenticatedError('Authentication required: send a bearer token.');
  return match[1];
}

function assertRoles(principal: Principal, required: Role[]): void {
  if (required.length === 0 || principal.roles.includes(Role.Admin)) return;
  if (!required.some((role) => principal.roles.includes(role))) {
    throw new ForbiddenError(`This operation needs the role ${required.join(' or ')}.`);
  }
}

function assertScopes(principal: Principal, required: Scope[]): void {
  if (principal.scopes === 'all') return;
  const granted = principal.scopes;
  if (required.length === 0) {
    throw new ForbiddenError(
      'This API token is limited to scopes that do not cover this operation.',
    );
  }
  const missing = required.filter((scope) => !granted.includes(scope));
  if (missing.length > 0) {
    throw new ForbiddenError(`This API token lacks the scope ${missing.join(', ')}.`);
  }
}
