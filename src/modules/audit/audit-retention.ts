// The audit log's retention rule: entries older than KILN_RETENTION_AUDIT_DAYS, a
// setting of its own, longer than the tasks', since investigations look far back.
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { RetentionRegistry } from '../../common/retention/retention-registry';
import { KilnConfig } from '../../config/kiln.config';
import { AuditLogRepository } from './audit-log.repository';

const DAY_MS = 86_400_000;

@Injectable()
export class AuditRetention implements OnModuleInit {
  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly registry: RetentionRegistry,
    private readonly entries: AuditLogRepository,
  ) {}

  onModuleInit(): void {
    const days = this.config.retention.auditDays;
    if (days === 0) return;
    this.registry.register({
      name: 'audit',
      purgeBatch: (limit, statements) =>
        this.entries.deleteOlderThan(new Date(Date.now() - days * DAY_MS), limit, statements),
    });
  }
}
