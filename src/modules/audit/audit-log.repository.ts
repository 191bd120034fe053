import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { RetentionStatements } from '../../common/retention/retention-statements';
import { deleteOldRows } from '../../infra/database/batched-delete';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditEntry } from './audit-entry.entity';

export interface AuditFilter {
  actorId?: string;
  actions?: string[];
  targetType?: string;
  targetId?: string;
  since?: Date;
  until?: Date;
  before?: { occurredAt: Date; id: string };
}

@Injectable()
export class AuditLogRepository {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  /** Newest first; `before` continues after the last entry of the previous page. */
  async page(filter: AuditFilter, limit: number): Promise<AuditEntry[]> {
    const qb = this.entries.createQueryBuilder('a');
    if (filter.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: filter.actorId });
    if (filter.actions?.length)
      qb.andWhere('a.action IN (:...actions)', { actions: filter.actions });
    if (filter.targetType)
      qb.andWhere('a.target_type = :targetType', { targetType: filter.targetType });
    if (filter.targetId) qb.andWhere('a.target_id = :targetId', { targetId: filter.targetId });
    if (filter.since) qb.andWhere('a.occurred_at >= :since', { since: filter.since });
    if (filter.until) qb.andWhere('a.occurred_at < :until', { until: filter.until });
    if (filter.before) {
      qb.andWhere('(a.occurred_at < :bt OR (a.occurred_at = :bt AND a.id < :bid))', {
        bt: filter.before.occurredAt,
        bid: filter.before.id,
      });
    }
    return qb.orderBy('a.occurred_at', 'DESC').addOrderBy('a.id', 'DESC').limit(limit).getMany();
  }

  async append(entry: AuditEntry): Promise<void> {
    // The JSON column's open Record type defeats TypeORM's deep-partial check.
    await this.entries.insert(entry as QueryDeepPartialEntity<AuditEntry>);
  }

  /** Removes up to `limit` of the oldest entries written before `cutoff`. */
  deleteOlderThan(cutoff: Date, limit: number, statements: RetentionStatements): Promise<number> {
    return deleteOldRows(
      this.entries,
      { column: 'occurred_at', before: cutoff, limit },
      statements,
    );
  }
}
