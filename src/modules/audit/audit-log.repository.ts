import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { deleteOldRows } from '../../infra/database/batched-delete';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditEntry } from './audit-entry.entity';

@Injectable()
export class AuditLogRepository {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async append(entry: AuditEntry): Promise<void> {
    // The JSON column's open Record type defeats TypeORM's deep-partial check.
    await this.entries.insert(entry as QueryDeepPartialEntity<AuditEntry>);
  }

  /** Removes up to `limit` of the oldest entries written before `cutoff`. */
  deleteOlderThan(cutoff: Date, limit: number): Promise<number> {
    return deleteOldRows(this.entries, { column: 'occurred_at', before: cutoff, limit });
  }
}
