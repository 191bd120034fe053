// The audit module's public surface: other modules import only what is exported here.
export { AuditAction } from './audit-action';
export { AuditLogService } from './audit-log.service';
export type { AuditRecord } from './audit-log.service';
export { AuditModule } from './audit.module';
export { SYSTEM_ORIGIN } from './request-origin';
export type { RequestOrigin } from './request-origin';
export { AuditEntryResponse, AuditPageResponse } from './dto/audit-entry.response';
export type { AuditQuery } from './audit-log.service';
