import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import type { RetentionStatements } from '../../../common/retention/retention-statements';
import { deleteOldRows } from '../../../infra/database/batched-delete';
import { HotQuery } from '../../../infra/database/hot-query';
import { RefreshToken } from './refresh-token.entity';
import { CredentialCache } from '../credential-cache';
import { User } from '../users/user.entity';
import { Session } from './session.entity';

@Injectable()
export class SessionsRepository {
  /** Every authenticated request runs this lookup, so its SQL is generated once. */
  private readonly sessionUser: HotQuery<User>;

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
    private readonly credentials: CredentialCache,
  ) {
    this.sessionUser = new HotQuery<User>(sessions.manager.connection, 'u');
  }

  async insertSession(session: Session): Promise<void> {
    await this.sessions.insert(session);
  }

  async insertRefreshToken(token: RefreshToken): Promise<void> {
    await this.refreshTokens.insert(token);
  }

  async findSession(id: string): Promise<Session | null> {
    return this.sessions.findOneBy({ id });
  }

  /** The user of a live session of theirs, if the user is enabled: one round trip. */
  async findActiveSessionUser(sessionId: string, userId: string): Promise<User | null> {
    const query = this.sessions.manager
      .createQueryBuilder(User, 'u')
      .innerJoin(Session, 's', 's.user_id = u.id')
      .where('s.id = :sessionId AND u.id = :userId', { sessionId, userId })
      .andWhere('s.revoked_at IS NULL AND u.disabled = :disabled', { disabled: false });
    const [user] = await this.sessionUser.getMany(query, 'by session and user');
    return user ?? null;
  }

  /** Which of `ids` are unrevoked sessions of enabled users: one query for any number. */
  async findLiveSessionIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.sessions
      .createQueryBuilder('s')
      .select('s.id', 'id')
      .innerJoin(User, 'u', 'u.id = s.user_id')
      .where('s.id IN (:...ids)', { ids })
      .andWhere('s.revoked_at IS NULL AND u.disabled = :disabled', { disabled: false })
      .getRawMany<{ id: string }>();
    return new Set(rows.map((row) => row.id));
  }

  async findRefreshTokenByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.refreshTokens.findOneBy({ tokenHash });
  }

  /** Marks the token spent if nobody has yet; false means it was already used (a replay). */
  async spendRefreshToken(id: string, at: Date): Promise<boolean> {
    const result = await this.refreshTokens.update({ id, usedAt: IsNull() }, { usedAt: at });
    return result.affected === 1;
  }

  async revokeSession(id: string, reason: string, at: Date): Promise<void> {
    await this.sessions.update(
      { id, revokedAt: IsNull() },
      { revokedAt: at, revokedReason: reason },
    );
    this.credentials.credentialsChanged();
  }

  async revokeSessionsOfUser(
    userId: string,
    reason: string,
    at: Date,
    exceptSessionId?: string,
  ): Promise<void> {
    await this.sessions.update(
      {
        userId,
        revokedAt: IsNull(),
        ...(exceptSessionId ? { id: Not(exceptSessionId) } : {}),
      },
      { revokedAt: at, revokedReason: reason },
    );
    this.credentials.credentialsChanged();
  }

  /** Removes up to `limit` refresh tokens that expired before `cutoff`. */
  deleteExpiredRefreshTokens(
    cutoff: Date,
    limit: number,
    statements: RetentionStatements,
  ): Promise<number> {
    return deleteOldRows(
      this.refreshTokens,
      { column: 'expires_at', before: cutoff, limit },
      statements,
    );
  }

  /**
   * Removes up to `limit` sessions made before `cutoff` that have ended: revoked before
   * it, or left without a refresh token (their last one expired and was removed).
   */
  deleteEndedSessions(
    cutoff: Date,
    limit: number,
    statements: RetentionStatements,
  ): Promise<number> {
    return deleteOldRows(
      this.sessions,
      {
        column: 'created_at',
        before: cutoff,
        limit,
        where: {
          sql:
            '(r.revoked_at < :cutoff OR NOT EXISTS ' +
            '(SELECT 1 FROM refresh_tokens t WHERE t.session_id = r.id))',
          parameters: { cutoff },
        },
      },
      statements,
    );
  }
}
