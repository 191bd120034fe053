import { Module } from '@nestjs/common';
import { AuthModule } from '../auth';
import { AuditModule } from '../audit';
import { UserAdministrationService } from './user-administration.service';
import { UsersAdminController } from './users-admin.controller';

/** Administration: users now; queues, quotas, the audit log and instances later. */
@Module({
  imports: [AuthModule, AuditModule],
  controllers: [UsersAdminController],
  providers: [UserAdministrationService],
})
export class AdminModule {}
