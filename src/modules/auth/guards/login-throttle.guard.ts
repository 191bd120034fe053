// Rate limits for POST /auth/login, per client IP and per username. Storage is
// in-memory, per process: a deployment with several replicas multiplies the limits by
// the replica count, and would plug a Redis ThrottlerStorage into loginThrottleStorage.
import { ExecutionContext, Injectable, Provider } from '@nestjs/common';
import {
  getOptionsToken,
  getStorageToken,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerStorageService,
} from '@nestjs/throttler';
import { KilnConfig } from '../../../config/kiln.config';
import { TooManyAttemptsError } from '../auth.errors';

@Injectable()
export class LoginThrottleGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new TooManyAttemptsError(Math.max(1, detail.timeToBlockExpire));
  }
}

export function loginThrottleOptions(config: KilnConfig): ThrottlerModuleOptions {
  const { loginThrottleTtlSeconds, loginThrottleIpLimit, loginThrottleUsernameLimit } = config.auth;
  const ttl = loginThrottleTtlSeconds * 1000;
  return {
    // Retry-After is set by TooManyAttemptsError; no per-throttler X-RateLimit headers.
    setHeaders: false,
    throttlers: [
      { name: 'ip', ttl, limit: loginThrottleIpLimit },
      { name: 'username', ttl, limit: loginThrottleUsernameLimit, getTracker: usernameOf },
    ],
  };
}

function usernameOf(request: { body?: unknown }): string {
  const username = (request.body as { username?: unknown } | undefined)?.username;
  return typeof username === 'string' ? username.toLowerCase() : '';
}

/**
 * The guard's options and storage, provided inside the auth module rather than by the
 * global ThrottlerModule, so other modules can rate-limit their own routes differently.
 */
export const loginThrottleProviders: Provider[] = [
  { provide: getOptionsToken(), inject: [KilnConfig], useFactory: loginThrottleOptions },
  { provide: getStorageToken(), useFactory: () => new ThrottlerStorageService() },
  LoginThrottleGuard,
];
