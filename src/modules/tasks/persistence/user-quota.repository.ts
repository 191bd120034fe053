// The user_quotas table: per-user overrides of the default limits.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { UserQuota } from './entities/user-quota.entity';

@Injectable()
export class UserQuotaRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async forUsers(userIds: readonly string[]): Promise<UserQuota[]> {
    if (userIds.length === 0) return [];
    return this.dataSource.getRepository(UserQuota).findBy({ userId: In([...userIds]) });
  }
}
