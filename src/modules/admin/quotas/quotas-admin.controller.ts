import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiProblems,
  JSON_BODY_PROBLEMS,
  REQUEST_LINE_PROBLEMS,
  UNAVAILABLE_PROBLEM,
} from '../../../common/decorators/api-problems.decorator';
import { ApiUuidParam } from '../../../common/decorators/api-uuid-param.decorator';
import { RequestOrigin } from '../../audit';
import { Auth, CurrentUser, Origin, Principal, Role } from '../../auth';
import { QuotaListResponse, UserQuotaResponse } from './quota.response';
import { QuotasAdminService } from './quotas-admin.service';
import { UpdateQuotaDto } from './update-quota.dto';

const NO_SUCH_USER = { 404: 'No such user' };

@ApiTags('admin')
@Auth(Role.Admin)
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('admin/quotas')
export class QuotasAdminController {
  constructor(private readonly quotas: QuotasAdminService) {}

  @Get()
  @ApiOperation({
    summary:
      'Default limits, and every user with an override or tasks: overrides, effective, usage',
  })
  listQuotas(): Promise<QuotaListResponse> {
    return this.quotas.list();
  }

  @Get(':userId')
  @ApiOperation({ summary: 'A user’s quota: overrides, effective limits and usage' })
  @ApiUuidParam('The user’s id', 'userId')
  @ApiProblems(REQUEST_LINE_PROBLEMS, NO_SUCH_USER)
  getQuota(@Param('userId', new ParseUUIDPipe()) userId: string): Promise<UserQuotaResponse> {
    return this.quotas.get(userId);
  }

  @Patch(':userId')
  @ApiOperation({
    summary: 'Override a user’s limits; the next dispatch pass on any replica applies them',
  })
  @ApiUuidParam('The user’s id', 'userId')
  @ApiProblems(REQUEST_LINE_PROBLEMS, JSON_BODY_PROBLEMS, NO_SUCH_USER)
  updateQuota(
    @CurrentUser() actor: Principal,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: UpdateQuotaDto,
    @Origin() origin: RequestOrigin,
  ): Promise<UserQuotaResponse> {
    return this.quotas.update(actor, userId, body, origin);
  }

  @Delete(':userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Return a user to the default limits' })
  @ApiUuidParam('The user’s id', 'userId')
  @ApiProblems(REQUEST_LINE_PROBLEMS, NO_SUCH_USER)
  async clearQuota(
    @CurrentUser() actor: Principal,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    await this.quotas.clear(actor, userId, origin);
  }
}
