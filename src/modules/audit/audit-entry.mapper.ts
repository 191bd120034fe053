import { AuditEntry } from './audit-entry.entity';
import { AuditEntryResponse } from './dto/audit-entry.response';

export function auditEntryResponseOf(entry: AuditEntry): AuditEntryResponse {
  return {
    id: entry.id,
    occurredAt: entry.occurredAt.toISOString(),
    action: entry.action,
    actor: entry.actorId ? { id: entry.actorId, username: entry.actorUsername } : null,
    target:
      entry.targetType && entry.targetId ? { type: entry.targetType, id: entry.targetId } : null,
    ip: entry.ip,
    requestId: entry.requestId,
    details: entry.details,
  };
}
