import { Module } from '@nestjs/common';
import { AuthModule } from '../auth';
import { AuditModule } from '../audit';
import { TasksModule } from '../tasks';
import { AuditAdminController } from './audit/audit-admin.controller';
import { QueuesAdminController } from './queues/queues-admin.controller';
import { QueuesAdminService } from './queues/queues-admin.service';
import { MyQuotaController } from './quotas/my-quota.controller';
import { QuotasAdminController } from './quotas/quotas-admin.controller';
import { QuotasAdminService } from './quotas/quotas-admin.service';
import { UserAdministrationService } from './user-administration.service';
import { UsersAdminController } from './users-admin.controller';

/** Administration: users, task queues, quotas and the audit log. */
@Module({
  imports: [AuthModule, AuditModule, TasksModule],
  controllers: [
    UsersAdminController,
    QueuesAdminController,
    QuotasAdminController,
    MyQuotaController,
    AuditAdminController,
  ],
  providers: [UserAdministrationService, QueuesAdminService, QuotasAdminService],
})
export class AdminModule {}
