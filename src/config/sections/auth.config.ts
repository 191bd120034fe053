import { IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { Env } from '../env.decorator';

/** The value shipped in config/default.yaml; production refuses to start with it. */
export const DEFAULT_JWT_SECRET = 'kiln-development-secret-change-me';

export class AuthConfig {
  /** HMAC secret for access tokens (HS256). Must be changed in production. */
  @Env('KILN_JWT_SECRET')
  @IsString()
  @MinLength(32)
  jwtSecret: string;

  /** `iss` claim written into and required of every access token. */
  @Env('KILN_JWT_ISSUER')
  @IsString()
  @MinLength(1)
  jwtIssuer: string;

  /** `aud` claim written into and required of every access token. */
  @Env('KILN_JWT_AUDIENCE')
  @IsString()
  @MinLength(1)
  jwtAudience: string;

  /** Lifetime of an access token (JWT), in seconds. */
  @Env('KILN_ACCESS_TOKEN_TTL_SECONDS')
  @IsInt()
  @Min(1)
  @Max(86400)
  accessTokenTtlSeconds: number;

  /**
   * How long a checked credential is trusted without asking the database again, in ms;
   * 0 checks every request. Revocations empty the cache of every replica at once, so
   * this bounds only a revocation whose message between replicas was lost.
   */
  @Env('KILN_AUTH_CREDENTIAL_CACHE_MS')
  @IsInt()
  @Min(0)
  @Max(60_000)
  credentialCacheMs: number;

  /** Lifetime of a refresh token, in seconds; each refresh issues a new one. */
  @Env('KILN_REFRESH_TOKEN_TTL_SECONDS')
  @IsInt()
  @Min(1)
  refreshTokenTtlSeconds: number;

  /** Shortest password accepted. */
  @Env('KILN_PASSWORD_MIN_LENGTH')
  @IsInt()
  @Min(8)
  @Max(128)
  passwordMinLength: number;

  /** argon2id memory cost in KiB (OWASP: 19456 with time cost 2). */
  @Env('KILN_ARGON2_MEMORY_KIB')
  @IsInt()
  @Min(1024)
  argon2MemoryKib: number;

  /** argon2id iterations. */
  @Env('KILN_ARGON2_TIME_COST')
  @IsInt()
  @Min(1)
  argon2TimeCost: number;

  /** argon2id lanes. */
  @Env('KILN_ARGON2_PARALLELISM')
  @IsInt()
  @Min(1)
  argon2Parallelism: number;

  /** Window of the login rate limits, in seconds. */
  @Env('KILN_LOGIN_THROTTLE_TTL_SECONDS')
  @IsInt()
  @Min(1)
  loginThrottleTtlSeconds: number;

  /** Login attempts allowed per client IP within the window. */
  @Env('KILN_LOGIN_THROTTLE_IP_LIMIT')
  @IsInt()
  @Min(1)
  loginThrottleIpLimit: number;

  /** Login attempts allowed per username within the window. */
  @Env('KILN_LOGIN_THROTTLE_USERNAME_LIMIT')
  @IsInt()
  @Min(1)
  loginThrottleUsernameLimit: number;

  /** Username of the admin created at first start when no admin exists. */
  @Env('KILN_ADMIN_USERNAME')
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/)
  adminUsername: string;

  /** Password of that first admin; empty: a random one is printed once in the log. */
  @Env('KILN_ADMIN_PASSWORD')
  @IsString()
  adminPassword: string;
}
