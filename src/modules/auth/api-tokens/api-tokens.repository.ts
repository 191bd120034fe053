import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Or, Repository } from 'typeorm';
import { ApiToken } from './api-token.entity';

@Injectable()
export class ApiTokensRepository {
  constructor(@InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>) {}

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

  async revoke(id: string, at: Date): Promise<void> {
    await this.tokens.update({ id, revokedAt: IsNull() }, { revokedAt: at });
  }

  /** Stamps lastUsedAt unless it was stamped after `staleBefore`, to spare a write per request. */
  async touch(id: string, at: Date, staleBefore: Date): Promise<void> {
    await this.tokens.update(
      { id, lastUsedAt: Or(IsNull(), LessThan(staleBefore)) },
      { lastUsedAt: at },
    );
  }
}
