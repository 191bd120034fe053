import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KilnConfig } from '../../../config/kiln.config';
import { AuditAction, AuditLogService, RequestOrigin } from '../../audit';
import { InvalidCredentialsError, UnauthenticatedError } from '../auth.errors';
import { randomSecret, sha256Hex } from '../secret-token';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { AccessTokensService } from './access-tokens.service';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';
import { SessionsRepository } from './sessions.repository';

export interface IssuedSession {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: User;
}

export type SessionRevocationReason = 'logout' | 'reuse' | 'password-change' | 'admin';

const REFRESH_REJECTED = 'The refresh token is invalid, expired or revoked.';

/** Login sessions: password login, refresh-token rotation with replay detection, logout. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly users: UsersService,
    private readonly accessTokens: AccessTokensService,
    private readonly audit: AuditLogService,
    private readonly config: KilnConfig,
  ) {}

  async login(username: string, password: string, origin: RequestOrigin): Promise<IssuedSession> {
    const user = await this.users.authenticate(username, password);
    if (!user) {
      await this.audit.record({ action: AuditAction.LoginFailed, origin, details: { username } });
      throw new InvalidCredentialsError();
    }
    await this.users.recordLogin(user.id);
    const session = Object.assign(new Session(), {
      id: randomUUID(),
      userId: user.id,
      revokedAt: null,
      revokedReason: null,
      createdAt: new Date(),
    });
    await this.sessions.insertSession(session);
    await this.audit.record({
      action: AuditAction.LoginSucceeded,
      actor: user,
      target: { type: 'session', id: session.id },
      origin,
    });
    return this.issue(user, session.id);
  }

  /** Exchanges a refresh token for a new pair. A second use of one revokes its whole session. */
  async refresh(refreshToken: string, origin: RequestOrigin): Promise<IssuedSession> {
    const token = await this.sessions.findRefreshTokenByHash(sha256Hex(refreshToken));
    const session = token && (await this.sessions.findSession(token.sessionId));
    if (!token || !session || session.revokedAt) throw new UnauthenticatedError(REFRESH_REJECTED);
    const now = new Date();
    if (token.usedAt || !(await this.sessions.spendRefreshToken(token.id, now))) {
      await this.revokeOnReuse(session, origin);
      throw new UnauthenticatedError(REFRESH_REJECTED);
    }
    const user = await this.users.findActive(session.userId);
    if (token.expiresAt <= now || !user) throw new UnauthenticatedError(REFRESH_REJECTED);
    return this.issue(user, session.id);
  }

  /** Ends the session the refresh token belongs to. Unknown tokens are ignored: logout is idempotent. */
  async logout(refreshToken: string, origin: RequestOrigin): Promise<void> {
    const token = await this.sessions.findRefreshTokenByHash(sha256Hex(refreshToken));
    const session = token && (await this.sessions.findSession(token.sessionId));
    if (!session || session.revokedAt) return;
    await this.sessions.revokeSession(session.id, 'logout', new Date());
    const user = await this.users.findActive(session.userId);
    await this.audit.record({
      action: AuditAction.Logout,
      actor: user,
      target: { type: 'session', id: session.id },
      origin,
    });
  }

  /** The session's user while the session is live and the user enabled, else null. */
  async activeUser(sessionId: string, userId: string): Promise<User | null> {
    return this.sessions.findActiveSessionUser(sessionId, userId);
  }

  async revokeAllOfUser(
    userId: string,
    reason: SessionRevocationReason,
    exceptSessionId?: string,
  ): Promise<void> {
    await this.sessions.revokeSessionsOfUser(userId, reason, new Date(), exceptSessionId);
  }

  private async issue(user: User, sessionId: string): Promise<IssuedSession> {
    const refreshToken = randomSecret();
    const now = new Date();
    await this.sessions.insertRefreshToken(
      Object.assign(new RefreshToken(), {
        id: randomUUID(),
        sessionId,
        tokenHash: sha256Hex(refreshToken),
        expiresAt: new Date(now.getTime() + this.config.auth.refreshTokenTtlSeconds * 1000),
        usedAt: null,
        createdAt: now,
      }),
    );
    const accessToken = await this.accessTokens.sign({ sub: user.id, sid: sessionId });
    return { accessToken, refreshToken, expiresIn: this.accessTokens.ttlSeconds, user };
  }

  private async revokeOnReuse(session: Session, origin: RequestOrigin): Promise<void> {
    await this.sessions.revokeSession(session.id, 'reuse', new Date());
    await this.audit.record({
      action: AuditAction.RefreshReuseDetected,
      actor: await this.users.findActive(session.userId),
      target: { type: 'session', id: session.id },
      origin,
    });
  }
}
