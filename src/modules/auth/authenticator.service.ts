import { Injectable } from '@nestjs/common';
import type { Loaded } from '../../infra/wakeups/signalled-cache';
import { API_TOKEN_PREFIX, ApiTokensService } from './api-tokens/api-tokens.service';
import { UnauthenticatedError } from './auth.errors';
import { CredentialCache } from './credential-cache';
import { Principal } from './principal';
import { AccessTokensService } from './sessions/access-tokens.service';
import { SessionsService } from './sessions/sessions.service';
import { UsersService } from './users/users.service';

/**
 * Turns a bearer credential into a Principal, checking it against the database, so a
 * disabled user, a revoked session or a revoked token stops at once. A credential
 * checked a moment ago is taken from the CredentialCache, which every such change
 * empties.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly accessTokens: AccessTokensService,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly users: UsersService,
    private readonly cache: CredentialCache,
  ) {}

  authenticate(bearer: string): Promise<Principal> {
    return this.cache.principalOf(bearer, () =>
      bearer.startsWith(API_TOKEN_PREFIX)
        ? this.fromApiToken(bearer)
        : this.fromAccessToken(bearer),
    );
  }

  private async fromAccessToken(jwt: string): Promise<Loaded<Principal>> {
    const claims = await this.accessTokens.verify(jwt);
    const user = await this.sessions.activeUser(claims.sid, claims.sub);
    if (!user) {
      throw new UnauthenticatedError('The session has ended or the user is disabled.');
    }
    const principal: Principal = {
      userId: user.id,
      username: user.username,
      roles: user.roles,
      scopes: 'all',
      sessionId: claims.sid,
    };
    return { value: principal, expiresAt: claims.expiresAt };
  }

  private async fromApiToken(secret: string): Promise<Loaded<Principal>> {
    const found = await this.apiTokens.authenticate(secret);
    if (!found) throw new UnauthenticatedError('The API token is invalid, expired or revoked.');
    const { token, user } = found;
    const principal: Principal = {
      userId: user.id,
      username: user.username,
      roles: user.roles,
      scopes: token.scopes ?? 'all',
      apiTokenId: token.id,
    };
    return { value: principal, expiresAt: token.expiresAt?.getTime() };
  }
}
