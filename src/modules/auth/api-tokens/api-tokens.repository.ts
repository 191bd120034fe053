import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Or, Repository } from 'typeorm';
import { CredentialCache } from '../credential-cache';
import { User } from '../users/user.entity';
import { ApiToken } from './api-token.entity';

@Injectable()
export class ApiTokensRepository {
  constructor(
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    private readonly credentials: CredentialCache,
  ) {}

  async insert(token: ApiToken): Promise<void> {
    await this.tokens.insert(token);
  }

  async findByHash(tokenHash: string): Promise<ApiToken | null> {
    return this.tokens.findOneBy({ tokenHash });
  }

  async findUnrevokedOfUser(id: string, userId: string): Promise<ApiToken | null> {
    return this.tokens.findOneBy({ id, userId, revokedAt: IsNull() });
  }

  /** Newest first. */
  async listUnrevokedOfUser(userId: string): Promise<ApiToken[]> {
    return this.tokens.find({
      where: { userId, revokedAt: IsNull() },
      order: { createdAt: 'DESC' },
    });
  }

  /** Which of `ids` are unrevoked, unexpired tokens of enabled users: one query for any number. */
  async findLiveTokenIds(ids: readonly string[], now: Date): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const tokens = await this.tokens
      .createQueryBuilder('t')
      .innerJoin(User, 'u', 'u.id = t.user_id')
      .where('t.id IN (:...ids)', { ids })
      .andWhere('t.revoked_at IS NULL AND u.disabled = :disabled', { disabled: false })
      .getMany();
    // Expiry compared here, on Dates, rather than in SQL where SQLite compares text.
    const live = tokens.filter((token) => !token.expiresAt || token.expiresAt > now);
    return new Set(live.map((token) => token.id));
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.tokens.update({ id, revokedAt: IsNull() }, { revokedAt: at });
    this.credentials.credentialsChanged();
  }

  /** Stamps lastUsedAt unless it was stamped after `staleBefore`, to spare a write per request. */
  async touch(id: string, at: Date, staleBefore: Date): Promise<void> {
    await this.tokens.update(
      { id, lastUsedAt: Or(IsNull(), LessThan(staleBefore)) },
      { lastUsedAt: at },
    );
  }
}
