// A user's own quota. Served here rather than by auth, which the tasks module depends
// on: the quota belongs to the tasks module, and auth may not import it.
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiProblems,
  UNAVAILABLE_PROBLEM,
} from '../../../common/decorators/api-problems.decorator';
import { Auth, CurrentUser, Principal, RequireScopes } from '../../auth';
import { QuotaAdministration } from '../../tasks';
import { UserQuotaResponse } from './quota.response';

@ApiTags('auth')
@Auth()
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('auth/me')
export class MyQuotaController {
  constructor(private readonly quotas: QuotaAdministration) {}

  @Get('quota')
  @RequireScopes('tasks:read')
  @ApiOperation({ summary: 'The caller’s quota: overrides, effective limits and usage' })
  getMyQuota(@CurrentUser() principal: Principal): Promise<UserQuotaResponse> {
    return this.quotas.of(principal.userId);
  }
}
