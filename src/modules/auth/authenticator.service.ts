import { Injectable } from '@nestjs/common';
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

  async authenticate(bearer: string): Promise<Principal> {
    const cached = this.cache.get(bearer);
    if (cached) return cached;
    const check = this.cache.begin();
    const { principal, expiresAt } = bearer.startsWith(API_TOKEN_PREFIX)
      ? await this.fromApiToken(bearer)
      : await this.fromAccessToken(bearer);
    this.cache.remember(check, bearer, principal, expiresAt);
    return principal;
  }

  private async fromAccessToken(jwt: string): Promise<CheckedCredential> {
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
    return { principal, expiresAt: claims.expiresAt };
  }

  private async fromApiToken(secret: string): Promise<CheckedCredential> {
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
    return { principal, expiresAt: token.expiresAt?.getTime() };
  }
}

/** Who a credential stands for, and until when it may be trusted at most. */
interface CheckedCredential {
  principal: Principal;
  expiresAt?: number;
}
