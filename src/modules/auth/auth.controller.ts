import { Body, Controller, Get, Header, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiProblems,
  JSON_BODY_PROBLEMS,
  UNAVAILABLE_PROBLEM,
} from '../../common/decorators/api-problems.decorator';
import { Public } from '../../common/decorators/public.decorator';
import { RequestOrigin } from '../audit';
import { AccountService } from './account.service';
import { Auth } from './decorators/auth.decorator';
import { CurrentUser } from './decorators/current-user.decorator';
import { Origin } from './decorators/origin.decorator';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto } from './dto/login.dto';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { SessionResponse } from './dto/session.response';
import { UserResponse } from './dto/user.response';
import { LoginThrottleGuard } from './guards/login-throttle.guard';
import { Principal } from './principal';
import { IssuedSession, SessionsService } from './sessions/sessions.service';
import { toUserResponse } from './users/user.mapper';

@ApiTags('auth')
@ApiProblems(UNAVAILABLE_PROBLEM)
@Controller('auth')
export class AuthController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly account: AccountService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(LoginThrottleGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Log in with a username and password', security: [] })
  @ApiProblems(JSON_BODY_PROBLEMS, {
    401: 'Wrong username or password',
    429: 'Too many attempts; see Retry-After',
  })
  async login(@Body() body: LoginDto, @Origin() origin: RequestOrigin): Promise<SessionResponse> {
    return toSessionResponse(await this.sessions.login(body.username, body.password, origin));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Exchange a refresh token for a new access and refresh token',
    description: 'Each refresh token works once; presenting a used one ends its whole session.',
    security: [],
  })
  @ApiProblems(JSON_BODY_PROBLEMS, { 401: 'The refresh token is invalid, expired or revoked' })
  async refreshSession(
    @Body() body: RefreshTokenDto,
    @Origin() origin: RequestOrigin,
  ): Promise<SessionResponse> {
    return toSessionResponse(await this.sessions.refresh(body.refreshToken, origin));
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session a refresh token belongs to', security: [] })
  @ApiNoContentResponse({ description: 'The session has ended (or was unknown)' })
  @ApiProblems(JSON_BODY_PROBLEMS)
  async logout(@Body() body: RefreshTokenDto, @Origin() origin: RequestOrigin): Promise<void> {
    await this.sessions.logout(body.refreshToken, origin);
  }

  @Auth()
  @Get('me')
  @ApiOperation({ summary: 'The signed-in user' })
  async getMe(@CurrentUser() principal: Principal): Promise<UserResponse> {
    return toUserResponse(await this.account.me(principal));
  }

  @Auth()
  @Post('me/password')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Change your password',
    description: 'Needs the current password. Ends every other session of the user.',
  })
  @ApiProblems(JSON_BODY_PROBLEMS, {
    400: 'Wrong current password or a weak new one; `errors` names each field',
  })
  async changeMyPassword(
    @CurrentUser() principal: Principal,
    @Body() body: ChangePasswordDto,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    await this.account.changePassword(principal, body.currentPassword, body.newPassword, origin);
  }
}

function toSessionResponse(session: IssuedSession): SessionResponse {
  return {
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    tokenType: 'Bearer',
    expiresIn: session.expiresIn,
    user: toUserResponse(session.user),
  };
}
