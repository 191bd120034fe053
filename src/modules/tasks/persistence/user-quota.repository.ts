// The user_quotas table: per-user overrides of the default limits.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { HotQuery } from '../../../infra/database/hot-query';
import { UserQuota } from './entities/user-quota.entity';

@Injectable()
export class UserQuotaRepository {
  /** One user's quota, read on every submit. */
  private readonly ofUser: HotQuery<UserQuota>;

  constructor(@InjectRepository(UserQuota) private readonly quotas: Repository<UserQuota>) {
    this.ofUser = new HotQuery<UserQuota>(quotas.manager.connection, 'q');
  }

  async forUsers(userIds: readonly string[]): Promise<UserQuota[]> {
    if (userIds.length === 0) return [];
    if (userIds.length > 1) return this.quotas.findBy({ userId: In([...userIds]) });
    const query = this.quotas
      .createQueryBuilder('q')
      .where('q.userId = :userId', { userId: userIds[0] });
    return this.ofUser.getMany(query, 'of one user');
  }

  all(): Promise<UserQuota[]> {
    return this.quotas.find({ order: { userId: 'ASC' } });
  }

  async save(
    quota: Pick<UserQuota, 'userId' | 'maxRunning' | 'maxGpus' | 'maxPending'>,
  ): Promise<void> {
    await this.quotas.upsert({ ...quota, updatedAt: new Date() }, ['userId']);
  }

  async delete(userId: string): Promise<boolean> {
    const result = await this.quotas.delete({ userId });
    return (result.affected ?? 0) > 0;
  }
}
