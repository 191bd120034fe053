import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditAction } from './audit-action';
import { AuditEntry } from './audit-entry.entity';
import { auditEntryResponseOf } from './audit-entry.mapper';
import { AuditPageResponse } from './dto/audit-entry.response';
import { AuditFilter, AuditLogRepository } from './audit-log.repository';
import { keysetPage } from '../../common/pagination/keyset-page';
import { decodeTimeIdCursor, encodeTimeIdCursor } from '../../common/pagination/time-id-cursor';
import { RequestOrigin } from './request-origin';

export type AuditQuery = Omit<AuditFilter, 'before'> & { cursor?: string; limit: number };

export interface AuditRecord {
  action: AuditAction;
  /** Who acted; absent for anonymous attempts such as a failed login. */
  actor?: { id: string; username: string } | null;
  target?: { type: string; id: string } | null;
  origin: RequestOrigin;
  /** Context that helps an investigation. Never a password, hash or token. */
  details?: Record<string, unknown>;
}

/** Writes and reads the audit log. Other modules go through this service. */
@Injectable()
export class AuditLogService {
  constructor(private readonly entries: AuditLogRepository) {}

  async record(record: AuditRecord): Promise<void> {
    const entry = new AuditEntry();
    entry.id = randomUUID();
    entry.occurredAt = new Date();
    entry.action = record.action;
    entry.actorId = record.actor?.id ?? null;
    entry.actorUsername = record.actor?.username ?? null;
    entry.targetType = record.target?.type ?? null;
    entry.targetId = record.target?.id ?? null;
    entry.ip = record.origin.ip?.slice(0, 64) ?? null;
    entry.requestId = record.origin.requestId;
    entry.details = record.details ?? null;
    await this.entries.append(entry);
  }

  /** Newest first, a page at a time. */
  async search(query: AuditQuery): Promise<AuditPageResponse> {
    const { cursor, limit, ...filter } = query;
    const after = cursor ? decodeTimeIdCursor(cursor) : undefined;
    const before = after && { occurredAt: after.at, id: after.id };
    const rows = await this.entries.page({ ...filter, before }, limit + 1);
    const page = keysetPage(rows, limit, (last) =>
      encodeTimeIdCursor({ at: last.occurredAt, id: last.id }),
    );
    return { items: page.items.map(auditEntryResponseOf), nextCursor: page.nextCursor };
  }
}
