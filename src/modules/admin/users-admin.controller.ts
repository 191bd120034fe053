import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
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
import { Auth, CurrentUser, Origin, Principal, Role, UserResponse } from '../auth';
import { CreateUserDto } from './dto/create-user.dto';
import { ListUsersQuery } from './dto/list-users.query';
import { ResetPasswordDto } from './dto/reset-password.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserPageResponse } from './dto/user-page.response';
import { UserAdministrationService } from './user-administration.service';

const DEFAULT_PAGE_SIZE = 50;

@ApiTags('admin')
@Auth(Role.Admin)
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('admin/users')
export class UsersAdminController {
  constructor(private readonly administration: UserAdministrationService) {}

  @Get()
  @ApiOperation({ summary: 'List users, ordered by username, a page at a time' })
  @ApiProblems({ 400: 'The query or its cursor is not valid; `errors` names each field' })
  async listUsers(@Query() query: ListUsersQuery): Promise<UserPageResponse> {
    const page = await this.administration.list({
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
      role: query.role,
      disabled: query.disabled,
      search: query.q,
    });
    return { items: page.users, nextCursor: page.nextCursor };
  }

  @Post()
  @ApiOperation({ summary: 'Create a user' })
  @ApiProblems(JSON_BODY_PROBLEMS, { 409: 'The username is taken (in any letter case)' })
  async createUser(
    @CurrentUser() actor: Principal,
    @Body() body: CreateUserDto,
    @Origin() origin: RequestOrigin,
  ): Promise<UserResponse> {
    return this.administration.create(
      actor,
      { ...body, roles: body.roles ?? [Role.Member] },
      origin,
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a user' })
  @ApiUuidParam('The user’s id')
  @ApiProblems(REQUEST_LINE_PROBLEMS, { 404: 'No such user' })
  async getUser(@Param('id', new ParseUUIDPipe()) id: string): Promise<UserResponse> {
    return this.administration.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a user’s display name, email, roles or disabled flag' })
  @ApiUuidParam('The user’s id')
  @ApiProblems(REQUEST_LINE_PROBLEMS, JSON_BODY_PROBLEMS, {
    404: 'No such user',
    409: 'The change would lock the caller out of admin',
  })
  async updateUser(
    @CurrentUser() actor: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateUserDto,
    @Origin() origin: RequestOrigin,
  ): Promise<UserResponse> {
    return this.administration.update(actor, id, body, origin);
  }

  @Post(':id/password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password for a user and end their sessions' })
  @ApiUuidParam('The user’s id')
  @ApiProblems(REQUEST_LINE_PROBLEMS, JSON_BODY_PROBLEMS, {
    400: 'A weak password, or the body, path or query is not valid',
    404: 'No such user',
  })
  async resetUserPassword(
    @CurrentUser() actor: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ResetPasswordDto,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    await this.administration.resetPassword(actor, id, body.password, origin);
  }
}
