import { Injectable } from '@nestjs/common';
import { API_TOKEN_PREFIX, ApiTokensService } from './api-tokens/api-tokens.service';
import { UnauthenticatedError } from './auth.errors';
import { Principal } from './principal';
import { AccessTokensService } from './sessions/access-tokens.service';
import { SessionsService } from './sessions/sessions.service';
import { UsersService } from './users/users.service';

/**
 * Turns a bearer credential into a Principal, checking it against the database on
 * every request, so a disabled user, a revoked session or a revoked token stops at
 * once rather than when a cache expires.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly accessTokens: AccessTokensService,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly users: UsersService,
  ) {}

  async authenticate(bearer: string): Promise<Principal> {
    return bearer.startsWith(API_TOKEN_PREFIX)
      ? this.fromApiToken(bearer)
      : this.fromAccessToken(bearer);
  }

  private async fromAccessToken(jwt: string): Promise<Principal> {
    const claims = await this.accessTokens.verify(jwt);
    const user = await this.sessions.activeUser(claims.sid, claims.sub);
    if (!user) {
      throw new UnauthenticatedError('The session has ended or the user is disabled.');
    }
    return {
      userId: user.id,
      username: user.username,
      roles: user.roles,
      scopes: 'all',
      sessionId: claims.sid,
    };
  }

  private async fromApiToken(secret: string): Promise<Principal> {
    const found = await this.apiTokens.authenticate(secret);
    if (!found) throw new UnauthenticatedError('The API token is invalid, expired or revoked.');
    const { token, user } = found;
    return {
      userId: user.id,
      username: user.username,
      roles: user.roles,
      scopes: token.scopes ?? 'all',
      apiTokenId: token.id,
    };
  }
}
