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

/** A checked token's claims, and when it expires (ms since the epoch). */
export interface VerifiedAccessToken extends AccessTokenClaims {
  expiresAt: number;
}

/** The registered claims that bound a token's life, in seconds since the epoch. */
interface Lifetime {
  iat: number;
  exp: number;
}

/** How far ahead of this replica's clock another replica's may run. */
const CLOCK_SKEW_SECONDS = 60;

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
  async verify(token: string): Promise<VerifiedAccessToken> {
    const { jwtIssuer, jwtAudience } = this.config.auth;
    try {
      // the key is the module's (auth.module.ts), built once from auth.jwtSecret
      const payload = await this.jwt.verifyAsync<Partial<AccessTokenClaims & Lifetime>>(token, {
        algorithms: ['HS256'],
        issuer: jwtIssuer,
        audience: jwtAudience,
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') throw new Error();
      if (!this.hasSignerLifetime(payload)) throw new Error();
      return { sub: payload.sub, sid: payload.sid, expiresAt: payload.exp * 1000 };
    } catch {
      throw new UnauthenticatedError('The access token is invalid or has expired.');
    }
  }

  /**
   * Whether the token lives no longer than this signer would have made it live. The
   * library accepts a token without `exp` as never expiring, and any `exp` however far
   * off; only a holder of the secret can mint those, but a leaked secret should not buy
   * tokens that outlive its rotation by years.
   */
  private hasSignerLifetime<T extends Partial<Lifetime>>(payload: T): payload is T & Lifetime {
    const { iat, exp } = payload;
    const nowSeconds = Math.floor(Date.now() / 1000);
    return (
      typeof iat === 'number' &&
      typeof exp === 'number' &&
      exp - iat <= this.ttlSeconds &&
      iat <= nowSeconds + CLOCK_SKEW_SECONDS
    );
  }
}
