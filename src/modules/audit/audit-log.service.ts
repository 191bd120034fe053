import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditAction } from './audit-action';
import { AuditEntry } from './audit-entry.entity';
import { AuditLogRepository } from './audit-log.repository';
import { RequestOrigin } from './request-origin';

export interface AuditRecord {
  action: AuditAction;
  /** Who acted; absent for anonymous attempts such as a failed login. */
  actor?: { id: string; username: string } | null;
  target?: { type: string; id: string } | null;
  origin: RequestOrigin;
  /** Context that helps an investigation. Never a password, hash or token. */
  details?: Record<string, unknown>;
}

/** Writes the audit log. Other modules record through this service. */
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
}
