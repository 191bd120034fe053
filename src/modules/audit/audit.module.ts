import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEntry } from './audit-entry.entity';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';
import { AuditRetention } from './audit-retention';

/** The audit log on its own, so auth can write it and admin can read it without a cycle. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry])],
  providers: [AuditLogRepository, AuditLogService, AuditRetention],
  exports: [AuditLogService],
})
export class AuditModule {}
