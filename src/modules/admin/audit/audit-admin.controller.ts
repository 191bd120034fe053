import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiProblems,
  REQUEST_LINE_PROBLEMS,
  UNAVAILABLE_PROBLEM,
} from '../../../common/decorators/api-problems.decorator';
import { AuditLogService, AuditPageResponse } from '../../audit';
import { Auth, Role } from '../../auth';
import { AuditQueryDto } from './audit.query';

const DEFAULT_PAGE_SIZE = 50;

@ApiTags('admin')
@Auth(Role.Admin)
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('admin/audit')
export class AuditAdminController {
  constructor(private readonly audit: AuditLogService) {}

  @Get()
  @ApiOperation({ summary: 'Read the audit log, newest first, a page at a time' })
  @ApiProblems(REQUEST_LINE_PROBLEMS)
  listAuditEntries(@Query() query: AuditQueryDto): Promise<AuditPageResponse> {
    return this.audit.search({
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
      actorId: query.actor,
      actions: query.action,
      targetType: query.targetType,
      targetId: query.targetId,
      since: query.since,
      until: query.until,
    });
  }
}
