import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { KilnConfig } from '../../config/kiln.config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import { AccountService } from './account.service';
import { ApiToken } from './api-tokens/api-token.entity';
import { ApiTokensRepository } from './api-tokens/api-tokens.repository';
import { ApiTokensService } from './api-tokens/api-tokens.service';
import { ApiTokensController } from './api-tokens.controller';
import { AuthController } from './auth.controller';
import { Authenticator } from './authenticator.service';
import { CredentialCache } from './credential-cache';
import { AuthGuard } from './guards/auth.guard';
import { loginThrottleProviders } from './guards/login-throttle.guard';
import { OwnershipPolicy } from './ownership.policy';
import { OpenStreams } from './streams/open-streams.service';
import { AccessTokensService } from './sessions/access-tokens.service';
import { RefreshToken } from './sessions/refresh-token.entity';
import { Session } from './sessions/session.entity';
import { SessionsRepository } from './sessions/sessions.repository';
import { SessionsService } from './sessions/sessions.service';
import { SessionRetention } from './sessions/session-retention';
import { AdminBootstrap } from './users/admin-bootstrap.service';
import { PasswordHasher } from './users/password-hasher.service';
import { UserAccountsService } from './users/user-accounts.service';
import { User } from './users/user.entity';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

/**
 * Users, sessions, API tokens and the global guard. Exports what other modules need to
 * apply access rules (OwnershipPolicy) and manage users (UserAccountsService).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([User, Session, RefreshToken, ApiToken]),
    // Secret, algorithm, issuer and audience are passed on every call by AccessTokensService.
    JwtModule.registerAsync({
      inject: [KilnConfig],
      // One KeyObject for the process: given the secret as a string, jsonwebtoken first
      // tries (and fails) to parse it as a public key on every verify, a sixth of the
      // CPU of an authenticated request.
      useFactory: (config: KilnConfig) => {
        const key = createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8'));
        return { secretOrKeyProvider: () => key };
      },
    }),
    AuditModule,
  ],
  controllers: [AuthController, ApiTokensController],
  providers: [
    UsersRepository,
    UsersService,
    UserAccountsService,
    PasswordHasher,
    AdminBootstrap,
    SessionsRepository,
    SessionsService,
    SessionRetention,
    AccessTokensService,
    ApiTokensRepository,
    ApiTokensService,
    AccountService,
    OpenStreams,
    CredentialCache,
    Authenticator,
    OwnershipPolicy,
    ...loginThrottleProviders,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [UserAccountsService, OwnershipPolicy, OpenStreams],
})
export class AuthModule {}
