// The user_quotas table: per-user overrides of the default limits.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { UserQuota } from './entities/user-quota.entity';

@Injectable()
export class UserQuotaRepository {
  constructor(@InjectRepository(UserQuota) private readonly quotas: Repository<UserQuota>) {}

  async forUsers(userIds: readonly string[]): Promise<UserQuota[]> {
    if (userIds.length === 0) return [];
    return this.quotas.findBy({ userId: In([...userIds]) });
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
