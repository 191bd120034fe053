// The audit log as a test reads it: straight from its table, since Kiln has no API that
// reads it back yet.
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity';

/** The newest `limit` entries, newest first. */
export function readAuditLog(app: INestApplicationContext, limit: number): Promise<AuditEntry[]> {
  return app
    .get(DataSource)
    .getRepository(AuditEntry)
    .find({ order: { occurredAt: 'DESC' }, take: limit });
}
