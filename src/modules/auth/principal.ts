// Who is calling: set on the request by the global AuthGuard, read through @CurrentUser().
import { Role } from './role';
import { Scope } from './scope';

export interface Principal {
  userId: string;
  username: string;
  roles: Role[];
  /** The scopes the credential carries; 'all' for sessions and unrestricted API tokens. */
  scopes: readonly Scope[] | 'all';
  /** Set when the caller presented a session's access token. */
  sessionId?: string;
  /** Set when the caller presented an API token. */
  apiTokenId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
