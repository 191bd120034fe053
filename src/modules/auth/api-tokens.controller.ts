import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiProblems,
  JSON_BODY_PROBLEMS,
  REQUEST_LINE_PROBLEMS,
  UNAVAILABLE_PROBLEM,
} from '../../common/decorators/api-problems.decorator';
import { ApiUuidParam } from '../../common/decorators/api-uuid-param.decorator';
import { RequestOrigin } from '../audit';
import { toApiTokenResponse } from './api-tokens/api-token.mapper';
import { ApiTokensService } from './api-tokens/api-tokens.service';
import { Auth } from './decorators/auth.decorator';
import { CurrentUser } from './decorators/current-user.decorator';
import { Origin } from './decorators/origin.decorator';
import { ApiTokenListResponse } from './dto/api-token.response';
import { CreateApiTokenDto } from './dto/create-api-token.dto';
import { CreatedApiTokenResponse } from './dto/created-api-token.response';
import { Principal } from './principal';

@ApiTags('auth')
@Auth()
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('auth/tokens')
export class ApiTokensController {
  constructor(private readonly apiTokens: ApiTokensService) {}

  @Post()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Create an API token',
    description: 'The secret (`kiln_...`) is in this response only; it cannot be shown again.',
  })
  @ApiProblems(JSON_BODY_PROBLEMS)
  async createApiToken(
    @CurrentUser() principal: Principal,
    @Body() body: CreateApiTokenDto,
    @Origin() origin: RequestOrigin,
  ): Promise<CreatedApiTokenResponse> {
    const created = await this.apiTokens.create(
      principal,
      { name: body.name, scopes: body.scopes, expiresAt: body.expiresAt },
      origin,
    );
    return { ...toApiTokenResponse(created.token), token: created.secret };
  }

  @Get()
  @ApiOperation({ summary: 'List your API tokens (never their secrets)' })
  async listApiTokens(@CurrentUser() principal: Principal): Promise<ApiTokenListResponse> {
    const tokens = await this.apiTokens.listOwn(principal);
    return { items: tokens.map(toApiTokenResponse) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one of your API tokens' })
  @ApiUuidParam('The token’s id')
  @ApiProblems(REQUEST_LINE_PROBLEMS, { 404: 'No such token of yours' })
  async revokeApiToken(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    await this.apiTokens.revokeOwn(principal, id, origin);
  }
}
