import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { KilnConfig } from '../../../config/kiln.config';
import { UnauthenticatedError } from '../auth.errors';

export interface AccessTokenClaims {
  /** User id. */
  sub: string;
  /** Session id: revoking the session cuts off its access tokens at once. */
  sid: string;
}

/** Signs and checks access tokens: HS256 only, with the configured issuer and audience. */
@Injectable()
export class AccessTokensService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: KilnConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.auth.accessTokenTtlSeconds;
  }

  async sign(claims: AccessTokenClaims): Promise<string> {
    const { jwtIssuer, jwtAudience } = this.config.auth;
    return this.jwt.signAsync(
      { sid: claims.sid },
      {
        algorithm: 'HS256',
        subject: claims.sub,
        issuer: jwtIssuer,
        audience: jwtAudience,
        expiresIn: this.ttlSeconds,
        // Unique per token: two tokens minted in the same second must still differ.
        jwtid: randomUUID(),
      },
    );
  }

  /** The claims of a valid token; anything else (forged, expired, alg none, wrong aud) is 401. */
  async verify(token: string): Promise<AccessTokenClaims> {
    const { jwtIssuer, jwtAudience } = this.config.auth;
    try {
      // the key is the module's (auth.module.ts), built once from auth.jwtSecret
      const payload = await this.jwt.verifyAsync<Partial<AccessTokenClaims>>(token, {
        algorithms: ['HS256'],
        issuer: jwtIssuer,
        audience: jwtAudience,
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') throw new Error();
      return { sub: payload.sub, sid: payload.sid };
    } catch {
      throw new UnauthenticatedError('The access token is invalid or has expired.');
    }
  }
}
